using System.Runtime.InteropServices;

namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// The CMDB graph in memory (docs/decisions/0011): nodes and edges in parallel arrays, adjacency as CSR (offsets into
/// edge-index arrays, out and in) built in one pass, plus a small per-node overlay for edges added since, folded in
/// when it grows. Edges keep their lifetime [created, deleted) in ticks, nodes their creation time and status
/// history, so a traversal can read the graph as of any time. One writer at a time, many readers
/// (<see cref="ReaderWriterLockSlim"/>); the queries live in <see cref="GraphQueries"/>.
/// </summary>
public sealed class CmdbGraphIndex
{
    /// <summary>The end of a relationship's lifetime while it lives.</summary>
    internal const long Alive = long.MaxValue;
    /// <summary>The time a query for the graph as it is now reads at: before every <see cref="Alive"/> end.</summary>
    internal const long Now = long.MaxValue - 1;
    internal const byte FlowsToSource = 1; // impact travels target → source: follow in-edges
    internal const byte FlowsToTarget = 2; // impact travels source → target: follow out-edges
    internal const byte MemberEdge = 4;    // the source is a member a redundancy rule counts
    // NodeBits: what a walk of the graph as it is now must know of a CI, in one byte.
    internal const byte RetiredNow = 1, HasRule = 2, IsRestricted = 4, HasOverlay = 8;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, short> _classOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, byte> _typeOf = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Codes by index; results share the arrays (a class seen for the first time makes a new one).</summary>
    internal string[] ClassCodes = [], TypeCodes = [];
    internal byte[] TypeFlags = [];

    // Nodes.
    internal int NodeCount;
    /// <summary>What a result reports of a CI, in one 16-byte struct: one memory read per CI instead of five.</summary>
    internal NodeInfo[] Info = [];
    internal long[] CreatedTicks = [];
    internal readonly CiIdMap NodeOf = new();
    internal readonly Dictionary<int, List<(long Ticks, byte Before)>> StatusHistory = [];
    internal readonly Dictionary<int, (Guid? Owner, Guid? Support)> RestrictedNodes = [];
    internal byte[] NodeBits = [];

    // Edges.
    internal int EdgeCount;
    internal EdgeInfo[] Edge = [];
    internal long[] FromTicks = [];
    internal long[] ToTicks = [];

    // Adjacency: CSR over the first CsrNodes nodes, overlay for edges added since.
    internal int CsrNodes;
    internal int[] OutStart = [0];
    internal int[] OutEdges = [];
    internal int[] InStart = [0];
    internal int[] InEdges = [];
    internal readonly Dictionary<int, List<int>> OutExtra = [];
    internal readonly Dictionary<int, List<int>> InExtra = [];
    private int _extraEdges;

    // Flow adjacency, built with the CSR for walks of the graph as it is now: per CI, the live relationships along which
    // a failure leaves it (FlowOut: impact) and reaches it (FlowIn: dependencies), as (neighbour, step) pairs, the step
    // as a result reports it (<see cref="Via"/>), so a walk reads neighbours in sequence and a result never looks the
    // edge up. Neighbour and step side by side: a walk is bound by the cache lines it touches per CI, and two parallel
    // arrays cost one more. An entry whose relationship was deleted since holds ~step (negative).
    internal int[] FlowOutStart = [0], FlowInStart = [0];
    internal FlowEntry[] FlowOut = [], FlowIn = [];

    /// <summary>A step of an explanation path in one long: the relationship id, its type, and whether it points from the step's parent.</summary>
    internal static long Via(long relationshipId, byte type, bool fromParent) => (relationshipId << 9) | ((long)type << 1) | (fromParent ? 1L : 0L);
    internal static long ViaRelationship(long via) => via >> 9;
    internal static byte ViaType(long via) => (byte)(via >> 1);
    internal static bool ViaFromParent(long via) => (via & 1) != 0;

    /// <summary>The step along edge <paramref name="e"/> into node <paramref name="n"/>.</summary>
    internal long ViaOf(int e, int n) => Via(Edge[e].RelationshipId, Edge[e].Type, Edge[e].Source != n);

    public CmdbGraphIndex(CmdbModel model)
    {
        foreach (var c in model.Classes) ClassIndex(c.Code);
        TypeFlags = new byte[Math.Max(1, model.Types.Count)];
        foreach (var t in model.Types)
        {
            var i = (byte)TypeCodes.Length;
            _typeOf[t.Code] = i;
            TypeCodes = [.. TypeCodes, t.Code];
            TypeFlags[i] = (byte)((t.Impact is ImpactDirection.TargetToSource or ImpactDirection.Both ? FlowsToSource : 0)
                | (t.Impact is ImpactDirection.SourceToTarget or ImpactDirection.Both ? FlowsToTarget : 0)
                | (t.CountsAsMembers ? MemberEdge : 0));
        }
    }

    /// <summary>Bumped by every write: callers that cache what they computed from the graph compare it.</summary>
    public long Version { get; private set; }
    /// <summary>The newest changeset whose writes are in the index (set by the follower).</summary>
    public long AppliedChangesetId { get; private set; }

    public int Nodes { get { using (Read()) return NodeCount; } }
    public int Edges { get { using (Read()) return EdgeCount; } }

    /// <summary>Replaces everything with the given graph (start-up), then builds the CSR arrays.</summary>
    public void Load(IEnumerable<GraphNodeRecord> nodes, IEnumerable<GraphEdgeRecord> edges, IEnumerable<GraphStatusChange> statusChanges,
        long appliedChangesetId, int nodeCapacity = 0, int edgeCapacity = 0)
    {
        _lock.EnterWriteLock();
        try
        {
            NodeCount = EdgeCount = CsrNodes = _extraEdges = 0;
            NodeOf.Clear(nodeCapacity); StatusHistory.Clear(); RestrictedNodes.Clear(); OutExtra.Clear(); InExtra.Clear();
            GrowNodes(Math.Max(nodeCapacity, 16));
            Array.Clear(NodeBits);
            GrowEdges(Math.Max(edgeCapacity, 16));
            foreach (var n in nodes) UpsertNode(n);
            foreach (var e in edges) AppendEdge(e, overlay: false);
            foreach (var s in statusChanges) AddStatusChange(s);
            BuildCsr();
            AppliedChangesetId = appliedChangesetId;
            Version++;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Applies written CIs and relationships (upserts by id, so applying twice is harmless).</summary>
    public void Apply(IEnumerable<GraphNodeRecord> nodes, IEnumerable<GraphEdgeRecord> edges, IEnumerable<GraphStatusChange> statusChanges,
        long appliedChangesetId)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var n in nodes) UpsertNode(n);
            foreach (var e in edges) UpsertEdge(e);
            foreach (var s in statusChanges) AddStatusChange(s);
            if (_extraEdges > Math.Max(4096, EdgeCount / 16) || NodeCount - CsrNodes > Math.Max(4096, NodeCount / 16)) BuildCsr();
            AppliedChangesetId = Math.Max(AppliedChangesetId, appliedChangesetId);
            Version++;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Holds the read lock until disposed; every query runs inside one.</summary>
    public ReadLock Read()
    {
        _lock.EnterReadLock();
        return new ReadLock(_lock);
    }

    public readonly struct ReadLock(ReaderWriterLockSlim l) : IDisposable
    {
        public void Dispose() => l.ExitReadLock();
    }

    public bool Contains(long ciId) { using (Read()) return NodeOf.ContainsKey(ciId); }

    internal short ClassIndex(string code)
    {
        if (_classOf.TryGetValue(code, out var i)) return i;
        i = (short)ClassCodes.Length;
        _classOf[code] = i;
        ClassCodes = [.. ClassCodes, code];
        return i;
    }

    internal bool TryTypeIndex(string code, out byte i) => _typeOf.TryGetValue(code, out i);
    internal bool TryClassIndex(string code, out short i) => _classOf.TryGetValue(code, out i);

    internal CiStatus StatusAt(int node, long ticks)
    {
        if (ticks != Now && StatusHistory.TryGetValue(node, out var history))
            foreach (var (at, before) in history) // oldest first: the first change after the time says what it was then
                if (at > ticks) return (CiStatus)before;
        return (CiStatus)Info[node].Status;
    }

    internal bool ExistsAt(int node, long ticks) => CreatedTicks[node] <= ticks;
    internal bool EdgeAliveAt(int edge, long ticks) => FromTicks[edge] <= ticks && ticks < ToTicks[edge];

    internal ReadOnlySpan<int> OutCsr(int node) =>
        node < CsrNodes ? OutEdges.AsSpan(OutStart[node], OutStart[node + 1] - OutStart[node]) : default;
    internal ReadOnlySpan<int> InCsr(int node) =>
        node < CsrNodes ? InEdges.AsSpan(InStart[node], InStart[node + 1] - InStart[node]) : default;
    internal ReadOnlySpan<int> OutOverlay(int node) =>
        _extraEdges > 0 && OutExtra.TryGetValue(node, out var l) ? CollectionsMarshal.AsSpan(l) : default;
    internal ReadOnlySpan<int> InOverlay(int node) =>
        _extraEdges > 0 && InExtra.TryGetValue(node, out var l) ? CollectionsMarshal.AsSpan(l) : default;

    internal GraphNode NodeAt(int n, long ticks)
    {
        var restricted = RestrictedNodes.TryGetValue(n, out var groups);
        var r = Info[n].Redundancy;
        return new GraphNode(Info[n].CiId, ClassCodes[Info[n].Class], StatusAt(n, ticks), Info[n].Criticality, restricted,
            restricted ? groups.Owner : null, restricted ? groups.Support : null,
            r == 0 ? null : new Redundancy(Math.Abs(r), r < 0));
    }

    internal GraphEdge EdgeOf(int e) => new(Edge[e].RelationshipId, TypeCodes[Edge[e].Type], Info[Edge[e].Source].CiId, Info[Edge[e].Target].CiId);

    private void UpsertNode(GraphNodeRecord n)
    {
        if (!NodeOf.TryGetValue(n.CiId, out var i))
        {
            if (NodeCount == Info.Length) GrowNodes(NodeCount * 2);
            i = NodeCount++;
            NodeOf.Add(n.CiId, i, NodeCount);
            Info[i].CiId = n.CiId;
        }
        Info[i].Class = ClassIndex(n.ClassCode);
        Info[i].Status = (byte)n.Status;
        Info[i].Criticality = (byte)n.Criticality;
        CreatedTicks[i] = n.CreatedAt.UtcTicks;
        Info[i].Redundancy = n.Redundancy is { } r ? (r.IsPercent ? -r.Needed : r.Needed) : 0;
        if (n.Restricted) RestrictedNodes[i] = (n.OwnerGroupId, n.SupportGroupId);
        else RestrictedNodes.Remove(i);
        NodeBits[i] = (byte)((NodeBits[i] & HasOverlay) | (n.Status == CiStatus.Retired ? RetiredNow : 0)
            | (Info[i].Redundancy != 0 ? HasRule : 0) | (n.Restricted ? IsRestricted : 0));
    }

    private void AddStatusChange(GraphStatusChange s)
    {
        if (!NodeOf.TryGetValue(s.CiId, out var i)) return;
        if (!StatusHistory.TryGetValue(i, out var list)) StatusHistory[i] = list = [];
        var entry = (s.At.UtcTicks, (byte)s.Before);
        if (list.Contains(entry)) return;
        list.Add(entry);
        list.Sort((a, b) => a.Ticks.CompareTo(b.Ticks));
    }

    private void UpsertEdge(GraphEdgeRecord e)
    {
        if (NodeOf.TryGetValue(e.SourceId, out var s))
        {
            foreach (var x in OutCsr(s)) if (Edge[x].RelationshipId == e.RelationshipId) { SetLifetime(x, e); return; }
            foreach (var x in OutOverlay(s)) if (Edge[x].RelationshipId == e.RelationshipId) { SetLifetime(x, e); return; }
        }
        AppendEdge(e, overlay: true);
    }

    private void SetLifetime(int x, GraphEdgeRecord e)
    {
        var wasAlive = ToTicks[x] == Alive;
        FromTicks[x] = e.CreatedAt.UtcTicks;
        ToTicks[x] = e.DeletedAt?.UtcTicks ?? Alive;
        if (wasAlive != (ToTicks[x] == Alive)) MarkFlow(x, ToTicks[x] == Alive);
    }

    /// <summary>Flags the flow entries of an edge built into the CSR as live or deleted (a write after the build).</summary>
    private void MarkFlow(int x, bool live)
    {
        if (Edge[x].Source >= CsrNodes || Edge[x].Target >= CsrNodes) return; // an overlay edge: walks check its lifetime
        var id = Edge[x].RelationshipId;
        foreach (var (start, entries) in new[] { (FlowOutStart, FlowOut), (FlowInStart, FlowIn) })
            foreach (var v in new[] { Edge[x].Source, Edge[x].Target })
                for (var k = start[v]; k < start[v + 1]; k++)
                {
                    ref var via = ref entries[k].Via;
                    if ((via < 0) == live && ViaRelationship(via < 0 ? ~via : via) == id) via = ~via;
                }
    }

    private void AppendEdge(GraphEdgeRecord e, bool overlay)
    {
        if (!NodeOf.TryGetValue(e.SourceId, out var s) || !NodeOf.TryGetValue(e.TargetId, out var t)) return; // ends not (yet) known
        if (!_typeOf.TryGetValue(e.TypeCode, out var type)) return; // a type no longer in the reference data
        if (EdgeCount == Edge.Length) GrowEdges(EdgeCount * 2);
        var x = EdgeCount++;
        Edge[x].RelationshipId = e.RelationshipId;
        Edge[x].Source = s;
        Edge[x].Target = t;
        Edge[x].Type = type;
        SetLifetime(x, e);
        if (!overlay) return;
        if (!OutExtra.TryGetValue(s, out var o)) OutExtra[s] = o = [];
        o.Add(x);
        if (!InExtra.TryGetValue(t, out var i)) InExtra[t] = i = [];
        i.Add(x);
        NodeBits[s] |= HasOverlay;
        NodeBits[t] |= HasOverlay;
        _extraEdges++;
    }

    /// <summary>Counting sort of the edges by source and by target: two passes, no per-node allocation.</summary>
    private void BuildCsr()
    {
        var n = NodeCount;
        OutStart = new int[n + 1];
        InStart = new int[n + 1];
        for (var e = 0; e < EdgeCount; e++) { OutStart[Edge[e].Source + 1]++; InStart[Edge[e].Target + 1]++; }
        for (var i = 0; i < n; i++) { OutStart[i + 1] += OutStart[i]; InStart[i + 1] += InStart[i]; }
        OutEdges = new int[EdgeCount];
        InEdges = new int[EdgeCount];
        var outFill = OutStart[..n];
        var inFill = InStart[..n];
        for (var e = 0; e < EdgeCount; e++)
        {
            OutEdges[outFill[Edge[e].Source]++] = e;
            InEdges[inFill[Edge[e].Target]++] = e;
        }
        CsrNodes = n;
        OutExtra.Clear();
        InExtra.Clear();
        _extraEdges = 0;
        for (var i = 0; i < n; i++) NodeBits[i] &= unchecked((byte)~HasOverlay);
        BuildFlow();
    }

    /// <summary>The flow adjacency of the live edges, by the same counting sort.</summary>
    private void BuildFlow()
    {
        var n = NodeCount;
        FlowOutStart = new int[n + 1];
        FlowInStart = new int[n + 1];
        var entries = 0;
        for (var e = 0; e < EdgeCount; e++)
        {
            if (ToTicks[e] != Alive) continue;
            var f = TypeFlags[Edge[e].Type];
            if ((f & FlowsToTarget) != 0) { FlowOutStart[Edge[e].Source + 1]++; FlowInStart[Edge[e].Target + 1]++; entries++; }
            if ((f & FlowsToSource) != 0) { FlowOutStart[Edge[e].Target + 1]++; FlowInStart[Edge[e].Source + 1]++; entries++; }
        }
        for (var i = 0; i < n; i++) { FlowOutStart[i + 1] += FlowOutStart[i]; FlowInStart[i + 1] += FlowInStart[i]; }
        FlowOut = new FlowEntry[entries];
        FlowIn = new FlowEntry[entries];
        var outFill = FlowOutStart[..n];
        var inFill = FlowInStart[..n];
        for (var e = 0; e < EdgeCount; e++)
        {
            if (ToTicks[e] != Alive) continue;
            var f = TypeFlags[Edge[e].Type];
            if ((f & FlowsToTarget) != 0) Add(Edge[e].Source, Edge[e].Target, e);
            if ((f & FlowsToSource) != 0) Add(Edge[e].Target, Edge[e].Source, e);
        }

        void Add(int from, int to, int e)
        {
            FlowOut[outFill[from]++] = new FlowEntry(ViaOf(e, to), to);
            FlowIn[inFill[to]++] = new FlowEntry(ViaOf(e, from), from);
        }
    }

    private void GrowNodes(int capacity)
    {
        Array.Resize(ref Info, capacity);
        Array.Resize(ref CreatedTicks, capacity);
        Array.Resize(ref NodeBits, capacity);
    }

    private void GrowEdges(int capacity)
    {
        Array.Resize(ref Edge, capacity);
        Array.Resize(ref FromTicks, capacity);
        Array.Resize(ref ToTicks, capacity);
    }
}

internal struct NodeInfo
{
    public long CiId;
    /// <summary>0: no rule; n &gt; 0: needs n up; n &lt; 0: −n % up.</summary>
    public int Redundancy;
    public short Class;
    public byte Status;
    public byte Criticality;
}

/// <summary>A relationship's ends (node numbers), type and id, in one struct; its lifetime is apart (as-of reads only).</summary>
/// <summary>An entry of the flow adjacency: the step and the CI it leads to, packed in 12 bytes.</summary>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential, Pack = 4)]
internal struct FlowEntry(long via, int node)
{
    public long Via = via;
    public int Node = node;
}

internal struct EdgeInfo
{
    public long RelationshipId;
    public int Source;
    public int Target;
    public byte Type;
}
