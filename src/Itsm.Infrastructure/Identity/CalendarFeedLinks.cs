using System.Security.Cryptography;
using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Identity;

/// <summary>A personal calendar link's secret, hashed as API tokens are (docs/decisions/0003).</summary>
public class CalendarFeedLink
{
    public Guid Id { get; set; }
    public string UserId { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class CalendarFeedLinks(ItsmDbContext db, IClock clock) : ICalendarFeedLinks
{
    public async Task<string> IssueAsync(string userId, CancellationToken ct)
    {
        var now = clock.UtcNow;
        await RevokeLiveAsync(userId, now, ct);
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        db.Set<CalendarFeedLink>().Add(new CalendarFeedLink { Id = Guid.CreateVersion7(now), UserId = userId, TokenHash = ApiTokenStore.Hash(secret), CreatedAt = now });
        await db.SaveChangesAsync(ct);
        return secret;
    }

    public async Task<bool> RevokeAsync(string userId, CancellationToken ct)
    {
        var revoked = await RevokeLiveAsync(userId, clock.UtcNow, ct);
        await db.SaveChangesAsync(ct);
        return revoked > 0;
    }

    public Task<DateTimeOffset?> ActiveSinceAsync(string userId, CancellationToken ct) =>
        db.Set<CalendarFeedLink>().AsNoTracking().Where(l => l.UserId == userId && l.RevokedAt == null)
            .Select(l => (DateTimeOffset?)l.CreatedAt).FirstOrDefaultAsync(ct);

    public async Task<string?> UserOfAsync(string secret, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100) return null;
        var hash = ApiTokenStore.Hash(secret);
        var now = clock.UtcNow;
        return await (from l in db.Set<CalendarFeedLink>().AsNoTracking()
                      join u in db.Users.AsNoTracking() on l.UserId equals u.Id
                      where l.TokenHash == hash && l.RevokedAt == null && (u.LockoutEnd == null || u.LockoutEnd <= now)
                      select l.UserId).FirstOrDefaultAsync(ct);
    }

    private async Task<int> RevokeLiveAsync(string userId, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.Set<CalendarFeedLink>().Where(l => l.UserId == userId && l.RevokedAt == null).ToListAsync(ct);
        foreach (var l in live) l.RevokedAt = now;
        return live.Count;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
