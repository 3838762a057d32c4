namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// The CIs an impact analysis (or a dependency walk) reached, nearest first, each with the step that reached it, so
/// its explanation path is read back to a start CI without the index. The start CIs come first, with depth 0.
/// Kept as compact arrays (a whole-estate result is a million CIs); <see cref="Nodes"/>, <see cref="Via"/> and
/// <see cref="RedundancyCounts"/> build their items when read.
/// </summary>
public sealed class ImpactResult
{
    private readonly long[] _ciIds;
    private readonly short[] _classes;
    private readonly byte[] _statuses;
    private readonly byte[] _criticalities;
    private readonly int[] _redundancies;
    private readonly string[] _classCodes;
    private readonly string[] _typeCodes;
    private readonly Dictionary<int, (Guid? Owner, Guid? Support)> _restricted;
    private readonly long[] _viaRelationship;
    private readonly byte[] _viaType;
    private readonly bool[] _viaFromParent;
    private readonly Dictionary<int, (int Impacted, int Members)> _redundancyCounts;
    private readonly int[] _depths;
    private readonly int[] _parents;

    internal ImpactResult(int count, int starts, string[] classCodes, string[] typeCodes, ReadOnlySpan<int> depths, ReadOnlySpan<int> parents)
    {
        _ciIds = new long[count];
        _classes = new short[count];
        _statuses = new byte[count];
        _criticalities = new byte[count];
        _redundancies = new int[count];
        _classCodes = classCodes;
        _typeCodes = typeCodes;
        _restricted = [];
        _viaRelationship = new long[count];
        _viaType = new byte[count];
        _viaFromParent = new bool[count];
        _redundancyCounts = [];
        _depths = depths.ToArray();
        _parents = parents.ToArray();
        StartCount = starts;
        Nodes = new Items<GraphNode>(count, NodeAt);
        Via = new Items<GraphEdge?>(count, ViaAt);
        RedundancyCounts = new Items<(int, int)>(count, i => _redundancyCounts.GetValueOrDefault(i));
    }

    /// <summary>Every CI reached, the start CIs first, then in the order they were reached (nearest first).</summary>
    public IReadOnlyList<GraphNode> Nodes { get; }
    public IReadOnlyList<int> Depths => _depths;
    /// <summary>The index (in <see cref="Nodes"/>) of the CI that impacted this one; −1 for a start CI.</summary>
    public IReadOnlyList<int> Parents => _parents;
    /// <summary>The relationship between this CI and its parent (null for a start CI).</summary>
    public IReadOnlyList<GraphEdge?> Via { get; }
    /// <summary>For a CI with a redundancy rule reached through its members: how many were impacted, of how many.</summary>
    public IReadOnlyList<(int Impacted, int Members)> RedundancyCounts { get; }
    public int StartCount { get; }
    /// <summary>True when the depth limit stopped the walk somewhere.</summary>
    public bool DepthLimited { get; internal set; }

    public int Count => _ciIds.Length;

    public long CiIdAt(int i) => _ciIds[i];
    public string ClassCodeAt(int i) => _classCodes[_classes[i]];

    /// <summary>The indexes from a start CI to <paramref name="i"/>, start first.</summary>
    public IReadOnlyList<int> PathTo(int i)
    {
        var path = new List<int>();
        for (var at = i; at >= 0; at = _parents[at]) path.Add(at);
        path.Reverse();
        return path;
    }

    internal void Set(int i, long ciId, short cls, byte status, byte criticality, int redundancy, (Guid?, Guid?)? restricted)
    {
        _ciIds[i] = ciId;
        _classes[i] = cls;
        _statuses[i] = status;
        _criticalities[i] = criticality;
        _redundancies[i] = redundancy;
        if (restricted is { } groups) _restricted[i] = groups;
    }

    internal void SetVia(int i, long relationshipId, byte type, bool fromParent)
    {
        _viaRelationship[i] = relationshipId;
        _viaType[i] = type;
        _viaFromParent[i] = fromParent;
    }

    internal void SetRedundancyCount(int i, int impacted, int members) => _redundancyCounts[i] = (impacted, members);

    private GraphNode NodeAt(int i)
    {
        var restricted = _restricted.TryGetValue(i, out var groups);
        var r = _redundancies[i];
        return new GraphNode(_ciIds[i], _classCodes[_classes[i]], (CiStatus)_statuses[i], _criticalities[i], restricted,
            groups.Owner, groups.Support, r == 0 ? null : new Redundancy(Math.Abs(r), r < 0));
    }

    private GraphEdge? ViaAt(int i)
    {
        var parent = _parents[i];
        if (parent < 0) return null;
        var (source, target) = _viaFromParent[i] ? (_ciIds[parent], _ciIds[i]) : (_ciIds[i], _ciIds[parent]);
        return new GraphEdge(_viaRelationship[i], _typeCodes[_viaType[i]], source, target);
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
