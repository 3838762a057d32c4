namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// The CIs an impact analysis (or a dependency walk) reached, nearest first, each with the step that reached it, so
/// its explanation path is read back to a start CI without the index. The start CIs come first, with depth 0.
/// </summary>
public sealed class ImpactResult
{
    internal ImpactResult(GraphNode[] nodes, int[] depths, int[] parents, GraphEdge?[] via, (int Impacted, int Members)[] redundancy, int starts)
    {
        Nodes = nodes;
        Depths = depths;
        Parents = parents;
        Via = via;
        RedundancyCounts = redundancy;
        StartCount = starts;
    }

    /// <summary>Every CI reached, the start CIs first, then in the order they were reached (nearest first).</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }
    public IReadOnlyList<int> Depths { get; }
    /// <summary>The index (in <see cref="Nodes"/>) of the CI that impacted this one; −1 for a start CI.</summary>
    public IReadOnlyList<int> Parents { get; }
    /// <summary>The relationship between this CI and its parent.</summary>
    public IReadOnlyList<GraphEdge?> Via { get; }
    /// <summary>For a CI with a redundancy rule: how many of its members were impacted, of how many.</summary>
    public IReadOnlyList<(int Impacted, int Members)> RedundancyCounts { get; }
    public int StartCount { get; }
    /// <summary>True when the depth limit stopped the walk somewhere.</summary>
    public bool DepthLimited { get; internal set; }

    public int Count => Nodes.Count;

    /// <summary>The indexes from a start CI to <paramref name="i"/>, start first.</summary>
    public IReadOnlyList<int> PathTo(int i)
    {
        var path = new List<int>();
        for (var at = i; at >= 0; at = Parents[at]) path.Add(at);
        path.Reverse();
        return path;
    }
}
