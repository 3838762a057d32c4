namespace Itsm.Domain.Cmdb.Graph;

/// <summary>
/// CI id → node number. CI ids come from an identity column, so they are dense: up to a bound, an array answers in
/// one read (a dictionary costs a hash and two scattered reads, which is most of a small impact query); an id past
/// the bound (an id range far away) goes to a dictionary.
/// </summary>
internal sealed class CiIdMap
{
    private int[] _dense = []; // node + 1; 0: none
    private readonly Dictionary<long, int> _sparse = [];

    public void Clear(int capacity)
    {
        _dense = new int[Math.Max(1024, capacity + capacity / 4)];
        _sparse.Clear();
    }

    public bool TryGetValue(long ciId, out int node)
    {
        if ((ulong)ciId < (ulong)_dense.Length)
        {
            node = _dense[ciId] - 1;
            return node >= 0;
        }
        return _sparse.TryGetValue(ciId, out node);
    }

    public bool ContainsKey(long ciId) => TryGetValue(ciId, out _);

    /// <summary>Grows the array while ids stay dense (within twice the nodes there are); anything else is sparse.</summary>
    public void Add(long ciId, int node, int nodeCount)
    {
        if (ciId >= 0 && ciId >= _dense.Length && ciId < 2L * (nodeCount + 1024)) Array.Resize(ref _dense, (int)Math.Min(int.MaxValue - 64, Math.Max(ciId + 1, _dense.Length * 2L)));
        if ((ulong)ciId < (ulong)_dense.Length) _dense[ciId] = node + 1;
        else _sparse[ciId] = node;
    }
}
