using System.Security.Cryptography;
using System.Text;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Identity;

/// <summary>
/// Personal API tokens: random 32 bytes shown once, stored as SHA-256 (fast to check, useless if leaked), revocable,
/// for 30 days. Revoking appends a security event in the same save (<see cref="SecurityChangeLog"/>).
/// </summary>
public sealed class ApiTokenStore(ItsmDbContext db, IClock clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string NewToken() => "itsm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Issues a token for the user; the token itself is returned here only, and never stored.</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(string userId, string name, CancellationToken ct)
    {
        var token = NewToken();
        var now = clock.UtcNow;
        var row = new ApiToken { Id = Guid.NewGuid(), UserId = userId, Name = name, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return (token, row.ExpiresAt);
    }

    /// <summary>Revokes the token; false when there is no such token.</summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken ct)
    {
        var hash = Hash(token);
        var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row is null) return false;
        row.RevokedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The user behind a token (by its hash) while it is unrevoked, unexpired and the account not locked; and when it expires.</summary>
    public async Task<(ItsmUser User, DateTimeOffset ExpiresAt)?> FindActiveAsync(string tokenHash, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == tokenHash, ct);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now) return null;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == row.UserId, ct);
        if (user is null || user.LockoutEnd > now) return null;
        return (user, row.ExpiresAt);
    }

    /// <summary>The assignment groups a user belongs to, for their principal.</summary>
    public Task<List<Guid>> GroupsOfAsync(string userId) =>
        db.Set<Domain.Tickets.GroupMember>().Where(m => m.UserId == userId).Select(m => m.GroupId).ToListAsync();
}
