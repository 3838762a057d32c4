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
        var w = new Walker(g, s, s.Next(), t, impact);
        foreach (var id in startCiIds)
            if (g.NodeOf.TryGetValue(id, out var n) && s.Stamp[n] != w.Gen && g.ExistsAt(n, t)) w.Add(n, -1, -1, 0);
        var starts = w.Count;
        var depthLimited = t == CmdbGraphIndex.Now ? WalkNow(g, s, ref w, maxDepth, impact) : WalkAt(s, ref w, maxDepth);
        return Collect(g, s, w.Count, starts, depthLimited);
    }

    /// <summary>
    /// The walk of the graph as it is now, over the flow adjacency and a byte of flags per CI. Its inner loop works on
    /// locals: as calls on <see cref="Walker"/> every array and the count went through memory at every step, which cost
    /// more than the cache misses of the walk itself. CIs with a redundancy rule and edges written since the build take
    /// the walker's path.
    /// </summary>
    private static bool WalkNow(CmdbGraphIndex g, Scratch s, ref Walker w, int maxDepth, bool impact)
    {
        var (start, entries) = impact ? (g.FlowOutStart, g.FlowOut) : (g.FlowInStart, g.FlowIn);
        var (stamp, order, steps, bits, info) = (s.Stamp, s.Order, s.Steps, g.NodeBits, g.Info);
        var (gen, csrNodes, count) = (w.Gen, g.CsrNodes, w.Count);
        var depthLimited = false;
        for (var head = 0; head < count; head++)
        {
            var v = order[head];
            var depth = steps[head].Depth + 1;
            if (depth > maxDepth) { depthLimited |= w.HasNext(v); continue; }
            if (v < csrNodes)
            {
                for (int k = start[v], end = start[v + 1]; k < end; k++)
                {
                    var (via, u) = (entries[k].Via, entries[k].Node);
                    if (via < 0) continue; // deleted since the build
                    var b = bits[u];
                    if ((b & CmdbGraphIndex.HasRule) != 0) { w.Count = count; w.ReachRuled(u, via, head, depth); count = w.Count; continue; }
                    if (stamp[u] == gen || (b & CmdbGraphIndex.RetiredNow) != 0) continue;
                    stamp[u] = gen;
                    order[count] = u;
                    ref var step = ref steps[count];
                    step.Node = info[u];
                    step.Via = via;
                    step.Parent = head;
                    step.Depth = depth;
                    if ((b & CmdbGraphIndex.IsRestricted) != 0) s.Flagged.Add(count);
                    count++;
                }
            }
            if ((bits[v] & CmdbGraphIndex.HasOverlay) != 0) { w.Count = count; w.StepOverlay(v, head, depth); count = w.Count; }
        }
        w.Count = count;
        return depthLimited;
    }

    /// <summary>The walk of the graph as of a past time: every edge's lifetime and every CI's status history.</summary>
    private static bool WalkAt(Scratch s, ref Walker w, int maxDepth)
    {
        var depthLimited = false;
        for (var head = 0; head < w.Count; head++)
        {
            var v = s.Order[head];
            var depth = s.Steps[head].Depth + 1;
            if (depth > maxDepth) { depthLimited |= w.HasNext(v); continue; }
            w.StepAt(v, head, depth);
        }
        return depthLimited;
    }

    /// <summary>One impact or dependency walk: the queue lives in <see cref="Scratch"/>, by position.</summary>
    private struct Walker(CmdbGraphIndex g, Scratch s, int gen, long t, bool impact)
    {
        public readonly int Gen = gen;
        public int Count;
        // Along an in-edge (this CI is its target) impact reaches the source when the type flows to the source;
        // dependencies walk the other way round.
        private readonly byte _inFlag = impact ? CmdbGraphIndex.FlowsToSource : CmdbGraphIndex.FlowsToTarget;
        private readonly byte _outFlag = impact ? CmdbGraphIndex.FlowsToTarget : CmdbGraphIndex.FlowsToSource;

        /// <summary>Queues <paramref name="u"/> and writes its step as the result keeps it, the CI's record included.</summary>
        public void Add(int u, int parentPosition, long via, int depth)
        {
            s.Stamp[u] = Gen;
            s.Order[Count] = u;
            ref var step = ref s.Steps[Count];
            step.Node = g.Info[u];
            if (t != CmdbGraphIndex.Now) step.Node.Status = (byte)g.StatusAt(u, t);
            step.Via = via;
            step.Parent = parentPosition;
            step.Depth = depth;
            if ((g.NodeBits[u] & (CmdbGraphIndex.IsRestricted | CmdbGraphIndex.HasRule)) != 0) s.Flagged.Add(Count);
            Count++;
        }

        /// <summary>A CI with a redundancy rule, reached now along a flow entry: counted as a member, queued once its rule gives way.</summary>
        public void ReachRuled(int u, long via, int head, int depth)
        {
            if (s.Stamp[u] == Gen) { PassesRule(u, CmdbGraphIndex.ViaType(via)); return; } // counts the member all the same
            if ((g.NodeBits[u] & CmdbGraphIndex.RetiredNow) != 0 || !PassesRule(u, CmdbGraphIndex.ViaType(via))) return;
            Add(u, head, via, depth);
        }

        /// <summary>The graph as of a past time: every edge's lifetime and every CI's status history.</summary>
        public void StepAt(int v, int head, int depth)
        {
            foreach (var e in g.InCsr(v)) if (Flows(e, _inFlag)) Reach(g.Edge[e].Source, e, head, depth);
            foreach (var e in g.OutCsr(v)) if (Flows(e, _outFlag)) Reach(g.Edge[e].Target, e, head, depth);
            StepOverlay(v, head, depth);
        }

        public void StepOverlay(int v, int head, int depth)
        {
            foreach (var e in g.InOverlay(v)) if (Flows(e, _inFlag)) Reach(g.Edge[e].Source, e, head, depth);
            foreach (var e in g.OutOverlay(v)) if (Flows(e, _outFlag)) Reach(g.Edge[e].Target, e, head, depth);
        }

        private readonly bool Flows(int e, byte flag) => (g.TypeFlags[g.Edge[e].Type] & flag) != 0;

        private void Reach(int u, int e, int head, int depth)
        {
            if (!g.EdgeAliveAt(e, t)) return;
            if (s.Stamp[u] == Gen)
            {
                if (g.Info[u].Redundancy != 0) PassesRule(u, g.Edge[e].Type); // counts the member all the same
                return;
            }
            if (!g.ExistsAt(u, t) || g.StatusAt(u, t) == CiStatus.Retired) return;
            if (g.Info[u].Redundancy != 0 && !PassesRule(u, g.Edge[e].Type)) return;
            Add(u, head, g.ViaOf(e, u), depth);
        }

        /// <summary>
        /// A CI with a redundancy rule reached through one of its members is impacted only when more of its members are
        /// impacted than it can spare; each member edge that reaches it counts one more, also once it is impacted, so
        /// the count is every impacted member whatever the order of the walk. Other edges impact it directly.
        /// </summary>
        private readonly bool PassesRule(int u, byte type)
        {
            if (!impact || (g.TypeFlags[type] & CmdbGraphIndex.MemberEdge) == 0) return true;
            if (s.Touched[u] != Gen) { s.Touched[u] = Gen; s.Hits[u] = 0; s.Members[u] = CountMembers(g, u, t); }
            s.Hits[u]++;
            var r = g.Info[u].Redundancy;
            return new Redundancy(Math.Abs(r), r < 0).IsImpacted(s.Hits[u], s.Members[u]);
        }

        /// <summary>Whether the walk would go on from <paramref name="v"/> (it stopped there at the depth limit).</summary>
        public readonly bool HasNext(int v)
        {
            foreach (var e in g.InCsr(v)) if (Flows(e, _inFlag) && g.EdgeAliveAt(e, t)) return true;
            foreach (var e in g.InOverlay(v)) if (Flows(e, _inFlag) && g.EdgeAliveAt(e, t)) return true;
            foreach (var e in g.OutCsr(v)) if (Flows(e, _outFlag) && g.EdgeAliveAt(e, t)) return true;
            foreach (var e in g.OutOverlay(v)) if (Flows(e, _outFlag) && g.EdgeAliveAt(e, t)) return true;
            return false;
        }
    }

    /// <summary>The members a redundancy rule counts: live, non-retired sources of member edges into the CI.</summary>
    private static int CountMembers(CmdbGraphIndex g, int u, long t)
    {
        var members = 0;
        foreach (var e in g.InCsr(u)) if (IsMember(e)) members++;
        foreach (var e in g.InOverlay(u)) if (IsMember(e)) members++;
        return members;

        bool IsMember(int e) => (g.TypeFlags[g.Edge[e].Type] & CmdbGraphIndex.MemberEdge) != 0 && g.EdgeAliveAt(e, t)
            && g.ExistsAt(g.Edge[e].Source, t) && g.StatusAt(g.Edge[e].Source, t) != CiStatus.Retired;
    }

    private static ImpactResult Collect(CmdbGraphIndex g, Scratch s, int count, int starts, bool depthLimited)
    {
        var result = new ImpactResult(starts, g.ClassCodes, g.TypeCodes, s.Steps.AsSpan(0, count))
        {
            DepthLimited = depthLimited,
        };
        foreach (var i in s.Flagged) // restricted CIs and redundancy rules are few
        {
            var n = s.Order[i];
            var bits = g.NodeBits[n];
            if ((bits & CmdbGraphIndex.IsRestricted) != 0) result.SetRestricted(i, g.RestrictedNodes[n]);
            if ((bits & CmdbGraphIndex.HasRule) != 0 && s.Touched[n] == s.Generation) result.SetRedundancyCount(i, s.Hits[n], s.Members[n]);
        }
        return result;
    }

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

    /// <summary>
    /// Per-thread work arrays, stamped with a generation so that nothing is cleared between queries. Per CI: Stamp,
    /// Touched, Hits, Members; per position in the walk's queue: Order (the CI) and Steps (what the result keeps);
    /// Flagged: the positions of restricted CIs and CIs with a redundancy rule.
    /// </summary>
    private sealed class Scratch
    {
        public int[] Stamp = [], Touched = [], Hits = [], Members = [], Order = [];
        public ImpactStep[] Steps = [];
        public readonly List<int> Flagged = [];
        public int Generation;

        public static Scratch For(int nodes)
        {
            var s = _scratch ??= new Scratch();
            if (s.Stamp.Length < nodes)
            {
                var size = Math.Max(nodes, s.Stamp.Length * 2);
                s.Stamp = new int[size]; s.Touched = new int[size]; s.Hits = new int[size]; s.Members = new int[size];
                s.Order = new int[size]; s.Steps = new ImpactStep[size];
                s.Generation = 0;
            }
            return s;
        }

        public int Next()
        {
            Flagged.Clear();
            if (++Generation == int.MaxValue)
            {
                Array.Clear(Stamp); Array.Clear(Touched);
                Generation = 1;
            }
            return Generation;
        }
    }
}
