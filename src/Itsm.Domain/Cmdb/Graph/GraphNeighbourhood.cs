namespace Itsm.Domain.Cmdb.Graph;

/// <summary>Which way a neighbourhood walk goes from a CI: along relationships it is the source of, the target of, or both.</summary>
public enum GraphDirection { Both, Outgoing, Incoming }

/// <summary>A neighbourhood query: depth, direction, filters, a cap on nodes, and the time to read the graph at.</summary>
public sealed record NeighbourhoodQuery
{
    public int Depth { get; init; } = 1;
    public GraphDirection Direction { get; init; } = GraphDirection.Both;
    public IReadOnlySet<string>? Types { get; init; }
    public IReadOnlySet<string>? Classes { get; init; }
    public IReadOnlySet<CiStatus>? Statuses { get; init; }
    public int Limit { get; init; } = 200;
    public DateTimeOffset? AsOf { get; init; }
}

public sealed record Neighbourhood(long Center, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges, bool Truncated);

/// <summary>The neighbourhood reads over <see cref="CmdbGraphIndex"/>: the CIs around one, its direct neighbours, one CI.</summary>
public static partial class GraphQueries
{
    /// <summary>
    /// The CIs around <paramref name="ciId"/> up to the query's depth, breadth first, and the relationships among
    /// them; at most <see cref="NeighbourhoodQuery.Limit"/> nodes (then <see cref="Neighbourhood.Truncated"/>).
    /// Filters apply to the CIs and relationships walked, never to the centre.
    /// </summary>
    /// <remarks>
    /// Two passes, so that a hub (a storage array used by a third of the estate) costs what is shown, not its degree:
    /// the walk stops reading a CI's relationships as soon as the limit is reached; then the relationships among the
    /// CIs shown are read from each CI's side, a hub's only when another hub is shown with it (a relationship between a
    /// hub and a small CI is found from the small one).
    /// </remarks>
    public static Neighbourhood Neighbourhood(this CmdbGraphIndex g, long ciId, NeighbourhoodQuery q)
    {
        var t = q.AsOf?.UtcTicks ?? CmdbGraphIndex.Now; // Alive itself is past every live edge's end
        using var _ = g.Read();
        if (!g.NodeOf.TryGetValue(ciId, out var center) || !g.ExistsAt(center, t)) return new(ciId, [], [], false);
        var typeMask = Mask(q.Types, code => g.TryTypeIndex(code, out var i) ? i : -1, g.TypeCodes.Length);
        var classMask = Mask(q.Classes, code => g.TryClassIndex(code, out var i) ? i : -1, g.ClassCodes.Length);
        var s = Scratch.For(g.NodeCount);
        var gen = s.Next();
        var count = 0;
        var truncated = false;
        s.Stamp[center] = gen;
        s.Steps[count].Depth = 0;
        s.Order[count++] = center;
        bool Walks(int e) => g.EdgeAliveAt(e, t) && (typeMask is null || typeMask[g.Edge[e].Type]);

        // 1. The CIs: breadth first until the depth or the limit is reached.
        for (var head = 0; head < count && !truncated; head++)
        {
            var v = s.Order[head];
            var d = s.Steps[head].Depth;
            if (d >= q.Depth) break; // the queue is in depth order: every later CI is as deep
            if (q.Direction != GraphDirection.Incoming)
            {
                foreach (var e in g.OutCsr(v)) if (!Grow(e, g.Edge[e].Target)) break;
                foreach (var e in g.OutOverlay(v)) if (!Grow(e, g.Edge[e].Target)) break;
            }
            if (q.Direction != GraphDirection.Outgoing && !truncated)
            {
                foreach (var e in g.InCsr(v)) if (!Grow(e, g.Edge[e].Source)) break;
                foreach (var e in g.InOverlay(v)) if (!Grow(e, g.Edge[e].Source)) break;
            }

            // False once the limit refuses a CI: the walk is over.
            bool Grow(int e, int u)
            {
                if (s.Stamp[u] == gen || !Walks(e)) return true;
                if (!g.ExistsAt(u, t) || (classMask is not null && !classMask[g.Info[u].Class])) return true;
                if (q.Statuses is not null && !q.Statuses.Contains(g.StatusAt(u, t))) return true;
                if (count >= q.Limit) { truncated = true; return false; }
                s.Stamp[u] = gen;
                s.Steps[count].Depth = d + 1;
                s.Order[count++] = u;
                return true;
            }
        }

        // 2. The relationships among them.
        var edges = new HashSet<int>();
        var hubs = new List<(int Node, int Degree)>();
        for (var i = 0; i < count; i++)
        {
            var v = s.Order[i];
            var degree = g.OutCsr(v).Length + g.InCsr(v).Length + g.OutOverlay(v).Length + g.InOverlay(v).Length;
            if (degree > HubDegree) hubs.Add((v, degree));
            else Among(v);
        }
        // Between two hubs only a hub's own list tells: read all but the biggest.
        foreach (var (hub, _) in hubs.OrderBy(h => h.Degree).SkipLast(1)) Among(hub);

        // Whatever the walk's direction, a relationship between two CIs shown is shown (it is in one's out-list and the
        // other's in-list), and both lists are read: a hub's side may be the one skipped.
        void Among(int v)
        {
            foreach (var e in g.OutCsr(v)) Keep(e, g.Edge[e].Target);
            foreach (var e in g.OutOverlay(v)) Keep(e, g.Edge[e].Target);
            foreach (var e in g.InCsr(v)) Keep(e, g.Edge[e].Source);
            foreach (var e in g.InOverlay(v)) Keep(e, g.Edge[e].Source);
        }

        void Keep(int e, int u)
        {
            if (s.Stamp[u] == gen && Walks(e)) edges.Add(e);
        }

        var nodes = new GraphNode[count];
        for (var i = 0; i < count; i++) nodes[i] = g.NodeAt(s.Order[i], t);
        return new(ciId, nodes, edges.Order().Select(g.EdgeOf).ToList(), truncated);
    }

    /// <summary>
    /// The CIs one live relationship away from <paramref name="ciId"/>, in either direction, each once, without the CI
    /// itself: the nodes of a depth-1 <see cref="Neighbourhood"/> without a limit, in the same order (out-relationships
    /// first), from one pass over the CI's own adjacency. Nothing for an unknown CI.
    /// </summary>
    public static IReadOnlyList<long> Neighbours(this CmdbGraphIndex g, long ciId)
    {
        const long t = CmdbGraphIndex.Now;
        using var _ = g.Read();
        if (!g.NodeOf.TryGetValue(ciId, out var center) || !g.ExistsAt(center, t)) return [];
        var s = Scratch.For(g.NodeCount);
        var gen = s.Next();
        s.Stamp[center] = gen;
        var ids = new List<long>();
        foreach (var e in g.OutCsr(center)) Reach(e, g.Edge[e].Target);
        foreach (var e in g.OutOverlay(center)) Reach(e, g.Edge[e].Target);
        foreach (var e in g.InCsr(center)) Reach(e, g.Edge[e].Source);
        foreach (var e in g.InOverlay(center)) Reach(e, g.Edge[e].Source);
        return ids;

        void Reach(int e, int u)
        {
            if (s.Stamp[u] == gen || !g.EdgeAliveAt(e, t) || !g.ExistsAt(u, t)) return;
            s.Stamp[u] = gen;
            ids.Add(g.Info[u].CiId);
        }
    }

    /// <summary>Past this many relationships a CI is a hub: the neighbourhood reads the relationships among the CIs shown from their other ends.</summary>
    private const int HubDegree = 2000;

    /// <summary>The CI as the index sees it at <paramref name="asOf"/>, or null if it did not exist then.</summary>
    public static GraphNode? Node(this CmdbGraphIndex g, long ciId, DateTimeOffset? asOf = null)
    {
        var t = asOf?.UtcTicks ?? CmdbGraphIndex.Now;
        using var _ = g.Read();
        return g.NodeOf.TryGetValue(ciId, out var n) && g.ExistsAt(n, t) ? g.NodeAt(n, t) : null;
    }

    private static bool[]? Mask(IReadOnlySet<string>? codes, Func<string, int> index, int size)
    {
        if (codes is null) return null;
        var mask = new bool[Math.Max(size, 1)];
        foreach (var c in codes) if (index(c) is >= 0 and var i) mask[i] = true;
        return mask;
    }
}
