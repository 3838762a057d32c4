using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Claims;
using Itsm.Infrastructure.Identity;

namespace Itsm.Web.Auth;

/// <summary>
/// The principals of API tokens validated on this instance, kept for <see cref="CacheFor"/> so the API does not read
/// the database per call. A user's entries are dropped when a security event names them (docs/decisions/0009): at
/// once for a change made here, within a poll (250 ms) for one made on another instance.
/// </summary>
public sealed class ApiPrincipalCache : IPrincipalCacheInvalidator
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private sealed record Entry(string UserId, ClaimsPrincipal Principal, DateTimeOffset TokenExpiresAt, long CachedUntil);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _generation;
    private int _sets;

    /// <summary>Read before loading a principal, handed to <see cref="Set"/>: a load that raced an invalidation is not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(string tokenHash, DateTimeOffset now, out ClaimsPrincipal principal)
    {
        principal = null!;
        if (!_entries.TryGetValue(tokenHash, out var entry)) return false;
        if (entry.CachedUntil < Stopwatch.GetTimestamp() || entry.TokenExpiresAt <= now)
        {
            _entries.TryRemove(KeyValuePair.Create(tokenHash, entry));
            return false;
        }
        principal = entry.Principal;
        return true;
    }

    public void Set(string tokenHash, string userId, ClaimsPrincipal principal, DateTimeOffset tokenExpiresAt, long generation)
    {
        if (Generation != generation) return;
        var entry = new Entry(userId, principal, tokenExpiresAt, Stopwatch.GetTimestamp() + (long)(CacheFor.TotalSeconds * Stopwatch.Frequency));
        _entries[tokenHash] = entry;
        // An invalidation between the check above and the write: it may have missed this entry, so take it back.
        if (Generation != generation) _entries.TryRemove(KeyValuePair.Create(tokenHash, entry));
        if (Interlocked.Increment(ref _sets) % 1024 == 0) Sweep();
    }

    public void Invalidate(string? userId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (hash, entry) in _entries)
            if (userId is null || entry.UserId == userId) _entries.TryRemove(KeyValuePair.Create(hash, entry));
    }

    private void Sweep()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var (hash, entry) in _entries)
            if (entry.CachedUntil < now) _entries.TryRemove(KeyValuePair.Create(hash, entry));
    }
}
