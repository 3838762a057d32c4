using System.Security.Claims;
using System.Text.Encodings.Web;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Itsm.Web.Auth;

/// <summary>
/// Authenticates API calls by personal token (<see cref="ApiTokenStore"/>). A validated token's principal is cached (<see cref="ApiPrincipalCache"/>) so the API does not read the
/// database per call; revocations, password and role changes drop it on every instance within a second.
/// </summary>
public sealed class ApiTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenStore tokens, IUserClaimsPrincipalFactory<ItsmUser> principals, ApiPrincipalCache cache, IClock clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed token.");
        var hash = ApiTokenStore.Hash(token);
        if (cache.TryGet(hash, clock.UtcNow, out var cached)) return Success(cached);

        var generation = cache.Generation;
        if (await tokens.FindActiveAsync(hash, Context.RequestAborted) is not var (user, expiresAt))
            return AuthenticateResult.Fail("Invalid or expired token, or the account is not active.");
        var principal = await principals.CreateAsync(user);
        var identity = new ClaimsIdentity(principal.Claims, SchemeName);
        var result = new ClaimsPrincipal(identity);
        cache.Set(hash, user.Id, result, expiresAt, generation);
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
