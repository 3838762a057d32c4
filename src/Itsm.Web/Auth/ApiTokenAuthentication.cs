using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itsm.Web.Auth;

/// <summary>
/// Personal API tokens: random 32 bytes shown once, stored as SHA-256 (fast to check, useless if leaked),
/// revocable. A validated token's principal is cached (<see cref="ApiPrincipalCache"/>) so the API does not read the
/// database per call; revocations, password and role changes drop it on every instance within a second.
/// </summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ItsmDbContext db, IUserClaimsPrincipalFactory<ItsmUser> principals, ApiPrincipalCache cache, IClock clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed token.");
        var hash = ApiTokens.Hash(token);
        if (cache.TryGet(hash, clock.UtcNow, out var cached)) return Success(cached);

        var generation = cache.Generation;
        var row = await db.ApiTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash);
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= clock.UtcNow) return AuthenticateResult.Fail("Invalid or expired token.");
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == row.UserId);
        if (user is null || user.LockoutEnd > clock.UtcNow) return AuthenticateResult.Fail("The account is not active.");
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName);
        var result = new ClaimsPrincipal(identity);
        cache.Set(hash, user.Id, result, row.ExpiresAt, generation);
        return Success(result);
    }

    private AuthenticateResult Success(ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return base.HandleChallengeAsync(properties);
    }

}

public static class ApiTokens
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string NewToken() => "itsm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
