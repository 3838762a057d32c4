namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// The CIs an impact analysis (or a dependency walk) reached, nearest first, each with the step that reached it, so
/// its explanation path is read back to a start CI without the index. The start CIs come first, with depth 0.
/// Kept as compact arrays of steps copied from the walk (a whole-estate result is a million CIs), in chunks below the
/// large object heap's threshold: a typical blast radius of thousands of CIs then stays a short-lived young object
/// instead of a large one that is cleared on allocation and brings on full collections. The lists build their items
/// when read.
/// </summary>
public sealed class ImpactResult
{
    /// <summary>2,048 steps of 32 bytes: 64 KiB a chunk, under the 85,000 bytes from which an array is a large object.</summary>
    private const int ChunkBits = 11;
    public const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    private readonly ImpactStep[][] _chunks;
    private readonly string[] _classCodes;
    private readonly string[] _typeCodes;
    // Most results have no restricted CI and no redundancy rule: nothing is allocated for them until one comes.
    private Dictionary<int, (Guid? Owner, Guid? Support)>? _restricted;
    private Dictionary<int, (int Impacted, int Members)>? _redundancyCounts;
    private IReadOnlyList<GraphNode>? _nodeItems;
    private IReadOnlyList<int>? _depthItems, _parentItems;
    private IReadOnlyList<GraphEdge?>? _viaItems;
    private IReadOnlyList<(int, int)>? _countItems;

    internal ImpactResult(int starts, string[] classCodes, string[] typeCodes, ReadOnlySpan<ImpactStep> steps)
    {
        Count = steps.Length;
        _chunks = new ImpactStep[(steps.Length + ChunkMask) >> ChunkBits][];
        for (var c = 0; c < _chunks.Length; c++) _chunks[c] = steps.Slice(c << ChunkBits, Math.Min(ChunkSize, steps.Length - (c << ChunkBits))).ToArray();
        _classCodes = classCodes;
        _typeCodes = typeCodes;
        StartCount = starts;
    }

    /// <summary>Every CI reached, the start CIs first, then in the order they were reached (nearest first).</summary>
    public IReadOnlyList<GraphNode> Nodes => _nodeItems ??= new Items<GraphNode>(Count, NodeAt);
    public IReadOnlyList<int> Depths => _depthItems ??= new Items<int>(Count, i => Step(i).Depth);
    /// <summary>The index (in <see cref="Nodes"/>) of the CI that impacted this one; −1 for a start CI.</summary>
    public IReadOnlyList<int> Parents => _parentItems ??= new Items<int>(Count, i => Step(i).Parent);
    /// <summary>The relationship between this CI and its parent (null for a start CI).</summary>
    public IReadOnlyList<GraphEdge?> Via => _viaItems ??= new Items<GraphEdge?>(Count, ViaAt);
    /// <summary>For a CI with a redundancy rule reached through its members: how many were impacted, of how many.</summary>
    public IReadOnlyList<(int Impacted, int Members)> RedundancyCounts =>
        _countItems ??= new Items<(int, int)>(Count, i => _redundancyCounts?.GetValueOrDefault(i) ?? default);
    public int StartCount { get; }
    /// <summary>True when the depth limit stopped the walk somewhere.</summary>
    public bool DepthLimited { get; internal set; }

    public int Count { get; }

    public long CiIdAt(int i) => Step(i).Node.CiId;
    public string ClassCodeAt(int i) => _classCodes[Step(i).Node.Class];
    /// <summary>Whether the CI is restricted, without making its <see cref="GraphNode"/> (a walk reaches tens of thousands).</summary>
    public bool IsRestrictedAt(int i) => _restricted?.ContainsKey(i) == true;

    /// <summary>The indexes from a start CI to <paramref name="i"/>, start first.</summary>
    public IReadOnlyList<int> PathTo(int i)
    {
        var path = new List<int>();
        for (var at = i; at >= 0; at = Step(at).Parent) path.Add(at);
        path.Reverse();
        return path;
    }

    private ref readonly ImpactStep Step(int i) => ref _chunks[i >> ChunkBits][i & ChunkMask];

    internal void SetRestricted(int i, (Guid?, Guid?) groups) => (_restricted ??= [])[i] = groups;

    internal void SetRedundancyCount(int i, int impacted, int members) => (_redundancyCounts ??= [])[i] = (impacted, members);

    private GraphNode NodeAt(int i)
    {
        var groups = default((Guid? Owner, Guid? Support));
        var restricted = _restricted?.TryGetValue(i, out groups) == true;
        ref readonly var n = ref Step(i).Node;
        var r = n.Redundancy;
        return new GraphNode(n.CiId, _classCodes[n.Class], (CiStatus)n.Status, n.Criticality, restricted,
            groups.Owner, groups.Support, r == 0 ? null : new Redundancy(Math.Abs(r), r < 0));
    }

    private GraphEdge? ViaAt(int i)
    {
        ref readonly var step = ref Step(i);
        if (step.Parent < 0) return null;
        var via = step.Via;
        var (here, there) = (step.Node.CiId, Step(step.Parent).Node.CiId);
        var (source, target) = CmdbGraphIndex.ViaFromParent(via) ? (there, here) : (here, there);
        return new GraphEdge(CmdbGraphIndex.ViaRelationship(via), _typeCodes[CmdbGraphIndex.ViaType(via)], source, target);
    }

    /// <summary>A read-only list whose items are made when read.</summary>
    private sealed class Items<T>(int count, Func<int, T> at) : IReadOnlyList<T>
    {
        public T this[int index] => (uint)index < (uint)count ? at(index) : throw new ArgumentOutOfRangeException(nameof(index));
        public int Count => count;
        public IEnumerator<T> GetEnumerator() { for (var i = 0; i < count; i++) yield return at(i); }
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>One CI a walk reached: the CI as it was then, the relationship and the position it was reached from, its depth.</summary>
internal struct ImpactStep
{
    public NodeInfo Node;
    public long Via;
    public int Parent;
    public int Depth;
}
