using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Scheduling;

/// <summary>
/// Finds what stands in a change plan's way: other changes on the same or related CIs at the same time, CIs whose
/// maintenance window the plan leaves, blackouts, and an implementer who is busy elsewhere. Run when the plan's dates or
/// CIs change and on demand. Times are half-open: a change ending at 23:00 does not overlap one starting at 23:00.
/// </summary>
public static class ConflictDetector
{
    /// <summary>How far related CIs are looked for when nothing is configured: direct neighbours only.</summary>
    public const int DefaultHops = 1;

    /// <param name="plan">The change being planned; a change in <paramref name="others"/> with its id is itself and is skipped.</param>
    /// <param name="others">The other scheduled changes.</param>
    /// <param name="neighbours">The CIs related to a CI, in both directions (depends on it and it depends on).</param>
    /// <param name="hops">How many relationship steps away a CI still counts as related; 0 checks the plan's own CIs only.</param>
    /// <param name="windows">The maintenance and blackout windows, resolved (<see cref="ChangeWindows.Resolve"/>).</param>
    /// <param name="ciName">Names related CIs in the texts; without it they read as "CI 42".</param>
    /// <returns>One conflict per kind, plan CI and other change or window, ordered by kind, CI name, change number and window id.</returns>
    public static IReadOnlyList<ChangeConflict> Detect(PlannedChange plan, IReadOnlyList<ScheduledChange> others,
        Func<long, IEnumerable<long>> neighbours, int hops, ChangeWindows windows, Func<long, string?>? ciName = null)
    {
        if (plan.End <= plan.Start) throw new FieldValidationException("plannedEnd", "The planned end must be after the planned start.");
        return ConflictScope.Build(plan, neighbours, hops, windows, ciName).Detect(plan.Start, plan.End, others);
    }
}

/// <summary>
/// What conflicts depend on besides the time, worked out once per plan: its CIs, the CIs related to them, their
/// maintenance windows and the blackouts that apply. The scheduling assistant asks it about many candidate times.
/// </summary>
internal sealed class ConflictScope
{
    private readonly PlannedChange _plan;
    private readonly Dictionary<long, PlanCi> _cis = [];
    // A related CI → the plan's CIs it is related to, nearest first, with the number of hops.
    private readonly Dictionary<long, List<(PlanCi Ci, int Hops)>> _related = [];
    private readonly Func<long, string?>? _ciName;

    private ConflictScope(PlannedChange plan, Func<long, string?>? ciName)
    {
        _plan = plan;
        _ciName = ciName;
    }

    public IReadOnlyList<(PlanCi Ci, MaintenanceWindow Window)> Windowed { get; private set; } = [];
    public IReadOnlyList<(BlackoutWindow Window, IReadOnlyList<(long Id, string Name)> Matches)> Blackouts { get; private set; } = [];

    public static ConflictScope Build(PlannedChange plan, Func<long, IEnumerable<long>> neighbours, int hops, ChangeWindows windows,
        Func<long, string?>? ciName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        if (!windows.IsResolved)
            throw new InvalidOperationException("The blackout windows' service and CI names must be resolved first (ChangeWindows.Resolve).");
        var scope = new ConflictScope(plan, ciName);
        foreach (var ci in plan.Cis) scope._cis.TryAdd(ci.Id, ci);

        foreach (var ci in scope._cis.Values)
        {
            // Breadth first, so each related CI is recorded at its shortest distance.
            var seen = new HashSet<long> { ci.Id };
            var frontier = new List<long> { ci.Id };
            for (var depth = 1; depth <= hops && frontier.Count > 0; depth++)
            {
                var next = new List<long>();
                foreach (var u in frontier)
                    foreach (var v in neighbours(u))
                    {
                        if (!seen.Add(v)) continue;
                        next.Add(v);
                        // Another change on one of the plan's own CIs is a SameCi conflict already.
                        if (scope._cis.ContainsKey(v)) continue;
                        if (!scope._related.TryGetValue(v, out var list)) scope._related[v] = list = [];
                        list.Add((ci, depth));
                    }
                frontier = next;
            }
        }
        foreach (var list in scope._related.Values)
            list.Sort((a, b) => a.Hops != b.Hops ? a.Hops.CompareTo(b.Hops) : a.Ci.Id.CompareTo(b.Ci.Id));

        scope.Windowed = scope._cis.Values
            .Select(ci => (Ci: ci, Window: windows.For(ci)))
            .Where(x => x.Window is not null)
            .Select(x => (x.Ci, x.Window!))
            .ToList();
        var ciIds = scope._cis.Keys.ToList();
        scope.Blackouts = windows.Blackouts
            .Select(b => (Window: b, Matches: b.Matches(ciIds, plan.ImpactedServiceIds)))
            .Where(x => x.Window.Scope == BlackoutScope.Global || x.Matches.Count > 0)
            .ToList();
        return scope;
    }

    /// <summary>
    /// Whether the other change could ever conflict with the plan, whatever the time: not the plan itself, and on one
    /// of its CIs or related CIs, or with the same implementer.
    /// </summary>
    public bool IsRelevant(ScheduledChange other)
    {
        if (other.Id == _plan.Id || other.End <= other.Start) return false;
        if (SameImplementer(other)) return true;
        foreach (var id in other.CiIds)
            if (_cis.ContainsKey(id) || _related.ContainsKey(id)) return true;
        return false;
    }

    private bool SameImplementer(ScheduledChange other) =>
        _plan.ImplementerId is { } me && string.Equals(other.ImplementerId, me, StringComparison.Ordinal);

    public List<ChangeConflict> Detect(DateTimeOffset start, DateTimeOffset end, IEnumerable<ScheduledChange> others)
    {
        var found = new Dictionary<(ConflictKind, long?, string?, string?), ChangeConflict>();
        void Add(ChangeConflict c) => found.TryAdd((c.Kind, c.CiId, c.OtherChangeNumber, c.WindowId), c);

        foreach (var other in others)
        {
            if (!other.Overlaps(start, end) || !IsRelevant(other)) continue;
            var when = ScheduleText.Range(other.Start, other.End);
            // The nearest related CI per plan CI: one RelatedCi conflict per (plan CI, other change).
            var nearest = new Dictionary<long, (PlanCi Ci, int Hops, long RelatedId)>();
            foreach (var id in other.CiIds)
            {
                if (_cis.TryGetValue(id, out var ci))
                    Add(new ChangeConflict(ConflictKind.SameCi, $"{other.Title} works on {ci.Name} {when}, overlapping this change.",
                        ci.Id, ci.Name, other.Number, null));
                else if (_related.TryGetValue(id, out var planCis))
                    foreach (var (planCi, hops) in planCis)
                        if (!nearest.TryGetValue(planCi.Id, out var best) || (hops, id).CompareTo((best.Hops, best.RelatedId)) < 0)
                            nearest[planCi.Id] = (planCi, hops, id);
            }
            foreach (var (planCi, hops, relatedId) in nearest.Values)
            {
                var distance = hops == 1 ? "" : $" ({hops} hops)";
                Add(new ChangeConflict(ConflictKind.RelatedCi,
                    $"{planCi.Name} is related{distance} to {NameOf(relatedId)}, on which {other.Title} works {when}, overlapping this change.",
                    planCi.Id, planCi.Name, other.Number, null, relatedId));
            }
            if (SameImplementer(other))
                Add(new ChangeConflict(ConflictKind.ImplementerBusy,
                    $"The implementer {other.ImplementerName ?? other.ImplementerId} is on {other.Title} at the same time ({when}).",
                    null, null, other.Number, null));
        }

        // Many CIs share a window: whether it covers the time is worked out once per window, not per CI.
        var covers = new Dictionary<MaintenanceWindow, bool>(ReferenceEqualityComparer.Instance);
        foreach (var (ci, window) in Windowed)
        {
            if (!covers.TryGetValue(window, out var covered)) covers[window] = covered = window.Covers(start, end);
            if (!covered)
                Add(new ChangeConflict(ConflictKind.OutsideMaintenanceWindow,
                    $"Planned outside {ci.Name}'s maintenance window '{window.Label}' ({window.Describe()}).", ci.Id, ci.Name, null, window.Id));
        }

        foreach (var (window, matches) in Blackouts)
        {
            if (!window.Overlaps(start, end)) continue;
            var inside = $"Planned inside the blackout '{window.Label}' ({window.Describe()})";
            switch (window.Scope)
            {
                case BlackoutScope.Global:
                    Add(new ChangeConflict(ConflictKind.Blackout, $"{inside}, which freezes every change.", null, null, null, window.Id));
                    break;
                case BlackoutScope.Services:
                    var services = matches.Select(m => m.Name).ToList();
                    var noun = services.Count == 1 ? "the service" : "the services";
                    Add(new ChangeConflict(ConflictKind.Blackout, $"{inside}, which freezes {noun} {Join(services)}.", null, null, null, window.Id));
                    break;
                default:
                    foreach (var (id, _) in matches)
                    {
                        var ci = _cis[id];
                        Add(new ChangeConflict(ConflictKind.Blackout, $"{inside}, which freezes {ci.Name}.", ci.Id, ci.Name, null, window.Id));
                    }
                    break;
            }
        }

        return found.Values
            .OrderBy(c => c.Kind)
            .ThenBy(c => c.CiName, StringComparer.Ordinal)
            .ThenBy(c => c.CiId)
            .ThenBy(c => c.OtherChangeNumber, StringComparer.Ordinal)
            .ThenBy(c => c.WindowId, StringComparer.Ordinal)
            .ToList();
    }

    private string NameOf(long ciId) => _ciName?.Invoke(ciId) ?? $"CI {ciId}";

    private static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
}
