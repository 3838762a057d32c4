using System.Diagnostics;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// Where a reader of an append-only log with database-made ids has got to: the highest id seen, and the smaller ids
/// not seen yet. On PostgreSQL a transaction that took a smaller id may commit after a larger one was read, so such a
/// gap is asked for again until it shows up or is <see cref="GapLifetime"/> old (its transaction rolled back).
/// </summary>
public sealed class ChangeLogCursor
{
    public const int MaxGaps = 1000;
    public static readonly TimeSpan GapLifetime = TimeSpan.FromMinutes(1);

    private readonly Dictionary<long, long> _gaps = []; // id → when first missed (Stopwatch timestamp)

    public long Last { get; private set; }
    public IReadOnlyCollection<long> Gaps => _gaps.Keys.ToList();

    /// <summary>Starts after <paramref name="last"/>; the ids just before it are checked again once, in case one was still committing.</summary>
    public void Start(long last, int recheck = 0)
    {
        Last = last;
        _gaps.Clear();
        var now = Stopwatch.GetTimestamp();
        for (var id = Math.Max(1, last - recheck + 1); id <= last && recheck > 0; id++) _gaps[id] = now;
    }

    /// <summary>Records a row read; returns false when too many gaps opened to follow (the reader should start over).</summary>
    public bool Saw(long id)
    {
        if (id <= Last) { _gaps.Remove(id); return true; }
        var now = Stopwatch.GetTimestamp();
        var ok = true;
        for (var missing = Last + 1; missing < id; missing++)
            if (_gaps.Count < MaxGaps) _gaps[missing] = now;
            else ok = false;
        Last = id;
        return ok;
    }

    /// <summary>Forgets gaps older than <see cref="GapLifetime"/>.</summary>
    public void Expire()
    {
        foreach (var (id, since) in _gaps.ToList())
            if (Stopwatch.GetElapsedTime(since) > GapLifetime) _gaps.Remove(id);
    }
}
