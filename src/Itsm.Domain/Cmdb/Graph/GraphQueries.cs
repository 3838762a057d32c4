namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// The impact analysis and the walks over <see cref="CmdbGraphIndex"/>; each runs under one read lock. The
/// neighbourhood reads are in GraphNeighbourhood.cs; both use the per-thread <see cref="Scratch"/>.
/// </summary>
public static partial class GraphQueries
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
