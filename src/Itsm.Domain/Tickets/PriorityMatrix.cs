namespace Itsm.Domain.Tickets;

/// <summary>The impact × urgency → priority table of a process; every cell must be defined.</summary>
public sealed class PriorityMatrix
{
    private readonly Dictionary<(Impact, Urgency), Priority> _cells;

    public PriorityMatrix(IReadOnlyDictionary<(Impact, Urgency), Priority> cells)
    {
        var missing = (from i in Enum.GetValues<Impact>()
                       from u in Enum.GetValues<Urgency>()
                       where !cells.ContainsKey((i, u))
                       select $"impact {(int)i} × urgency {(int)u}").ToList();
        if (missing.Count > 0)
            throw new ArgumentException("The priority matrix has no value for " + string.Join(", ", missing) + ".");
        _cells = new Dictionary<(Impact, Urgency), Priority>(cells);
    }

    public Priority PriorityOf(Impact impact, Urgency urgency) => _cells[(impact, urgency)];

    /// <summary>The matrix ServiceNow ships: 1/1 → P1; 1/2, 2/1 → P2; 1/3, 2/2, 3/1 → P3; the rest P4.</summary>
    public static PriorityMatrix Default { get; } = new(
        (from i in Enum.GetValues<Impact>()
         from u in Enum.GetValues<Urgency>()
         select (i, u)).ToDictionary(c => c, c => ((int)c.i + (int)c.u) switch
        {
            2 => Priority.Critical,
            3 => Priority.High,
            4 => Priority.Moderate,
            _ => Priority.Low,
        }));
}
