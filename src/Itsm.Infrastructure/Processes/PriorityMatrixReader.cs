using System.Globalization;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Reads <c>priority-matrix.yaml</c>: under <c>impact</c>, one row per impact (1–3), each listing the priority
/// (P1–P4) for urgency 1, 2 and 3 in that order.
/// </summary>
internal static class PriorityMatrixReader
{
    /// <summary>Adds the file's faults to <paramref name="errors"/>; returns the matrix only when it is complete.</summary>
    public static PriorityMatrix? Read(string file, string yaml, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(file);
        var matrix = Read(r, yaml);
        errors.AddRange(r.Errors);
        return r.Errors.Count == 0 ? matrix : null;
    }

    private static PriorityMatrix? Read(YamlNodeReader r, string yaml)
    {
        var root = r.LoadRoot(yaml);
        if (root is null) return null;
        var top = r.Fields(root, "the priority matrix", ["impact"], ["impact"]);
        if (!top.TryGetValue("impact", out var rowsNode)) return null;
        if (rowsNode is not YamlMappingNode rows)
        {
            r.Error(rowsNode, $"'impact' must map each impact (1, 2, 3) to a row such as [P1, P2, P3], not {YamlNodeReader.Describe(rowsNode)}.");
            return null;
        }

        var cells = new Dictionary<(Impact, Urgency), Priority>();
        var urgencies = Enum.GetValues<Urgency>();
        foreach (var (keyNode, rowNode) in rows.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || !Enum.IsDefined((Impact)i))
            {
                r.Error(keyNode, $"unknown impact '{key}'; impacts are 1, 2 and 3.");
                continue;
            }
            if (rowNode is not YamlSequenceNode row || row.Children.Count != urgencies.Length)
            {
                r.Error(rowNode, $"impact {i} must list {urgencies.Length} priorities, one per urgency 1–{urgencies.Length}, such as [P1, P2, P3].");
                continue;
            }
            for (var u = 0; u < urgencies.Length; u++)
            {
                var cell = row.Children[u];
                if (ParsePriority((cell as YamlScalarNode)?.Value) is { } p)
                    cells[((Impact)i, urgencies[u])] = p;
                else
                    r.Error(cell, $"'{(cell as YamlScalarNode)?.Value}' is not a priority; use P1, P2, P3 or P4.");
            }
        }

        var missing = Enum.GetValues<Impact>().Where(i => !urgencies.All(u => cells.ContainsKey((i, u)))).ToList();
        if (missing.Count > 0)
        {
            // Reported at the 'impact' key: a missing row has no line of its own.
            var impactKey = ((YamlMappingNode)root).Children.Keys.First(k => k is YamlScalarNode { Value: "impact" });
            if (r.Errors.Count == 0)
                r.Error(impactKey, $"the matrix has no row for impact {string.Join(", ", missing.Select(i => (int)i))}; every cell must be given.");
            return null;
        }
        return new PriorityMatrix(cells);
    }

    private static Priority? ParsePriority(string? text) =>
        text is { Length: 2 } && (text[0] == 'P' || text[0] == 'p') && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && Enum.IsDefined((Priority)n)
            ? (Priority)n
            : null;
}
