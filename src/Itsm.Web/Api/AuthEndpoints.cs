using Itsm.Infrastructure.Identity;
using Itsm.Web.Auth;

namespace Itsm.Web.Api;

/// <summary>
/// Personal API tokens: issue with user name and password (lockout and the sign-in rate limits apply; every failure
/// gets the same answer), revoke the one in use.
/// </summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/auth").WithTags("Authentication");

        g.MapPost("/token", async (HttpRequest req, HttpResponse res, CredentialCheck credentials,
            ApiTokenStore tokens, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<TokenRequestBody>(req, ct);
            var userName = body.String("userName", 256, required: true);
            var password = body.String("password", 512, required: true);
            var name = body.String("name", 200) ?? "API token";
            body.ThrowIfInvalid();
            var check = await credentials.CheckAsync(userName!, password!);
            if (check.Result == CredentialResult.Throttled)
            {
                SignInRateLimiting.SetRetryAfter(res, check.RetryAfter);
                return Results.Problem(SignInRateLimiting.Problem());
            }
            if (check.User is not { } user)
                return Results.Problem(statusCode: 401, title: CredentialOutcome.FailedTitle, detail: CredentialOutcome.FailedDetail);
            var (token, expiresAt) = await tokens.IssueAsync(user.Id, name, ct);
            return Results.Ok(new TokenResponse(token, expiresAt));
        }).AllowAnonymous().RequireRateLimiting(SignInRateLimiting.Policy).WithName("IssueApiToken").Accepts<TokenRequestBody>("application/json").Produces<TokenResponse>().ProducesProblem(401).ProducesProblem(429).ProducesValidationProblem();

        // Revoking appends a security event in the same save (SecurityChangeLog): this instance drops the cached
        // principal at once, the others within a poll.
        g.MapDelete("/token", async (HttpRequest req, ApiTokenStore tokens, CancellationToken ct) =>
        {
            var token = req.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
            if (!await tokens.RevokeAsync(token, ct)) return Results.NotFound();
            return Results.NoContent();
        }).WithName("RevokeApiToken").Produces(204).ProducesProblem(401);

        return api;
    }
}
