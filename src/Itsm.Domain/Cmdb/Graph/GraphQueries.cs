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

/// <summary>The impact analysis and the walks over <see cref="CmdbGraphIndex"/>; each runs under one read lock.</summary>
public static class GraphQueries
{
    public const int DefaultDepth = 20;

    [ThreadStatic] private static Scratch? _scratch;

    /// <summary>
    /// Every CI impacted when <paramref name="startCiIds"/> are down or changing: impact travels along each
    /// relationship in its type's direction, up to <paramref name="maxDepth"/> steps; a CI with a redundancy rule is
    /// impacted only when more of its members are impacted than it can spare; retired CIs carry nothing.
    /// Unknown ids are ignored (the caller checks them).
    /// </summary>
    public static ImpactResult Impact(this CmdbGraphIndex g, IEnumerable<long> startCiIds, int maxDepth = DefaultDepth, DateTimeOffset? asOf = null) =>
        Walk(g, startCiIds, maxDepth, asOf, impact: true);

    /// <summary>
    /// The reverse question: what <paramref name="ciId"/> depends on, nearest first (root-cause candidates for an
    /// impacted service): every CI whose failure would travel to it, without redundancy.
    /// </summary>
    public static ImpactResult Dependencies(this CmdbGraphIndex g, long ciId, int maxDepth = DefaultDepth, DateTimeOffset? asOf = null) =>
        Walk(g, [ciId], maxDepth, asOf, impact: false);

    private static ImpactResult Walk(CmdbGraphIndex g, IEnumerable<long> startCiIds, int maxDepth, DateTimeOffset? asOf, bool impact)
    {
        var t = asOf?.UtcTicks ?? CmdbGraphIndex.Now;
        using var _ = g.Read();
        var s = Scratch.For(g.NodeCount);
        var gen = s.Next();
        var flags = g.TypeFlags;
        // Along an in-edge (this CI is its target) impact reaches the source when the type flows to the source;
        // dependencies walk the other way round.
        var inFlag = impact ? CmdbGraphIndex.FlowsToSource : CmdbGraphIndex.FlowsToTarget;
        var outFlag = impact ? CmdbGraphIndex.FlowsToTarget : CmdbGraphIndex.FlowsToSource;
        var count = 0;
        var depthLimited = false;
        foreach (var id in startCiIds)
        {
            if (!g.NodeOf.TryGetValue(id, out var n) || s.Stamp[n] == gen || !g.ExistsAt(n, t)) continue;
            s.Stamp[n] = gen;
            s.Parent[n] = -1;
            s.Depth[n] = 0;
            s.Order[count++] = n;
        }
        var starts = count;
        for (var head = 0; head < count; head++)
        {
            var v = s.Order[head];
            var d = s.Depth[v];
            if (d >= maxDepth) { depthLimited |= HasNext(g, v, t, inFlag, outFlag); continue; }
            foreach (var e in g.InCsr(v)) if ((flags[g.Types[e]] & inFlag) != 0) Reach(g.Sources[e], e);
            foreach (var e in g.InOverlay(v)) if ((flags[g.Types[e]] & inFlag) != 0) Reach(g.Sources[e], e);
            foreach (var e in g.OutCsr(v)) if ((flags[g.Types[e]] & outFlag) != 0) Reach(g.Targets[e], e);
            foreach (var e in g.OutOverlay(v)) if ((flags[g.Types[e]] & outFlag) != 0) Reach(g.Targets[e], e);

            void Reach(int u, int e)
            {
                if (s.Stamp[u] == gen || !g.EdgeAliveAt(e, t) || !g.ExistsAt(u, t)) return;
                if (g.StatusAt(u, t) == CiStatus.Retired) return;
                if (impact && g.Redundancies[u] != 0 && (flags[g.Types[e]] & CmdbGraphIndex.MemberEdge) != 0)
                {
                    if (s.Touched[u] != gen) { s.Touched[u] = gen; s.Hits[u] = 0; s.Members[u] = CountMembers(g, u, t); }
                    s.Hits[u]++;
                    var r = g.Redundancies[u];
                    if (!new Redundancy(Math.Abs(r), r < 0).IsImpacted(s.Hits[u], s.Members[u])) return;
                }
                s.Stamp[u] = gen;
                s.Parent[u] = e;
                s.Depth[u] = d + 1;
                s.Order[count++] = u;
            }
        }
        return Collect(g, s, count, starts, t, depthLimited);
    }

    /// <summary>The members a redundancy rule counts: live, non-retired sources of member edges into the CI.</summary>
    private static int CountMembers(CmdbGraphIndex g, int u, long t)
    {
        var members = 0;
        foreach (var e in g.InCsr(u)) if (IsMember(e)) members++;
        foreach (var e in g.InOverlay(u)) if (IsMember(e)) members++;
        return members;

        bool IsMember(int e) => (g.TypeFlags[g.Types[e]] & CmdbGraphIndex.MemberEdge) != 0 && g.EdgeAliveAt(e, t)
            && g.ExistsAt(g.Sources[e], t) && g.StatusAt(g.Sources[e], t) != CiStatus.Retired;
    }

    private static bool HasNext(CmdbGraphIndex g, int v, long t, byte inFlag, byte outFlag)
    {
        foreach (var e in g.InCsr(v)) if ((g.TypeFlags[g.Types[e]] & inFlag) != 0 && g.EdgeAliveAt(e, t)) return true;
        foreach (var e in g.InOverlay(v)) if ((g.TypeFlags[g.Types[e]] & inFlag) != 0 && g.EdgeAliveAt(e, t)) return true;
        foreach (var e in g.OutCsr(v)) if ((g.TypeFlags[g.Types[e]] & outFlag) != 0 && g.EdgeAliveAt(e, t)) return true;
        foreach (var e in g.OutOverlay(v)) if ((g.TypeFlags[g.Types[e]] & outFlag) != 0 && g.EdgeAliveAt(e, t)) return true;
        return false;
    }

    private static ImpactResult Collect(CmdbGraphIndex g, Scratch s, int count, int starts, long t, bool depthLimited)
    {
        var result = new ImpactResult(count, starts, [.. g.ClassCodes], [.. g.TypeCodes]) { DepthLimited = depthLimited };
        var timed = t != CmdbGraphIndex.Now;
        for (var i = 0; i < count; i++)
        {
            var n = s.Order[i];
            s.Position[n] = i;
            var e = s.Parent[n];
            var parent = e < 0 ? -1 : s.Position[g.OtherEnd(e, n)];
            (Guid?, Guid?)? restricted = g.RestrictedNodes.Count > 0 && g.RestrictedNodes.TryGetValue(n, out var groups) ? groups : null;
            result.Set(i, g.CiIds[n], g.Classes[n], timed ? (byte)g.StatusAt(n, t) : g.Statuses[n], g.Criticalities[n], g.Redundancies[n],
                restricted, s.Depth[n], parent);
            if (e >= 0) result.SetVia(i, g.RelationshipIds[e], g.Types[e], g.Sources[e] != n);
            if (g.Redundancies[n] != 0 && s.Touched[n] == s.Generation) result.SetRedundancyCount(i, s.Hits[n], s.Members[n]);
        }
        return result;
    }

    /// <summary>
    /// The CIs around <paramref name="ciId"/> up to the query's depth, breadth first, and the relationships among
    /// them; at most <see cref="NeighbourhoodQuery.Limit"/> nodes (then <see cref="Neighbourhood.Truncated"/>).
    /// Filters apply to the CIs and relationships walked, never to the centre.
    /// </summary>
    public static Neighbourhood Neighbourhood(this CmdbGraphIndex g, long ciId, NeighbourhoodQuery q)
    {
        var t = q.AsOf?.UtcTicks ?? CmdbGraphIndex.Alive;
        using var _ = g.Read();
        if (!g.NodeOf.TryGetValue(ciId, out var center) || !g.ExistsAt(center, t)) return new(ciId, [], [], false);
        var typeMask = Mask(q.Types, code => g.TryTypeIndex(code, out var i) ? i : -1, g.TypeCodes.Count);
        var classMask = Mask(q.Classes, code => g.TryClassIndex(code, out var i) ? i : -1, g.ClassCodes.Count);
        var s = Scratch.For(g.NodeCount);
        var gen = s.Next();
        var count = 0;
        var truncated = false;
        s.Stamp[center] = gen;
        s.Depth[center] = 0;
        s.Order[count++] = center;
        var edges = new List<int>();
        for (var head = 0; head < count; head++)
        {
            var v = s.Order[head];
            var d = s.Depth[v];
            if (d >= q.Depth) continue;
            if (q.Direction != GraphDirection.Incoming)
            {
                foreach (var e in g.OutCsr(v)) Visit(e, g.Targets[e]);
                foreach (var e in g.OutOverlay(v)) Visit(e, g.Targets[e]);
            }
            if (q.Direction != GraphDirection.Outgoing)
            {
                foreach (var e in g.InCsr(v)) Visit(e, g.Sources[e]);
                foreach (var e in g.InOverlay(v)) Visit(e, g.Sources[e]);
            }

            void Visit(int e, int u)
            {
                if (!g.EdgeAliveAt(e, t) || (typeMask is not null && !typeMask[g.Types[e]])) return;
                if (s.Stamp[u] == gen) { edges.Add(e); return; }
                if (!g.ExistsAt(u, t) || (classMask is not null && !classMask[g.Classes[u]])) return;
                if (q.Statuses is not null && !q.Statuses.Contains(g.StatusAt(u, t))) return;
                if (count >= q.Limit) { truncated = true; return; }
                s.Stamp[u] = gen;
                s.Depth[u] = d + 1;
                s.Order[count++] = u;
                edges.Add(e);
            }
        }
        var nodes = new GraphNode[count];
        for (var i = 0; i < count; i++) nodes[i] = g.NodeAt(s.Order[i], t);
        // An edge seen from both ends is listed once.
        var unique = edges.Distinct().Select(g.EdgeOf).ToList();
        return new(ciId, nodes, unique, truncated);
    }

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

    /// <summary>Per-thread work arrays, stamped with a generation so that nothing is cleared between queries.</summary>
    private sealed class Scratch
    {
        public int[] Stamp = [], Touched = [], Parent = [], Depth = [], Hits = [], Members = [], Order = [], Position = [];
        public int Generation;

        public static Scratch For(int nodes)
        {
            var s = _scratch ??= new Scratch();
            if (s.Stamp.Length < nodes)
            {
                var size = Math.Max(nodes, s.Stamp.Length * 2);
                s.Stamp = new int[size]; s.Touched = new int[size]; s.Parent = new int[size]; s.Depth = new int[size];
                s.Hits = new int[size]; s.Members = new int[size]; s.Order = new int[size]; s.Position = new int[size];
                s.Generation = 0;
            }
            return s;
        }

        public int Next()
        {
            if (++Generation == int.MaxValue)
            {
                Array.Clear(Stamp); Array.Clear(Touched);
                Generation = 1;
            }
            return Generation;
        }
    }
}
