using Itsm.Domain.Common;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Itsm.Web.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Itsm.Web.Api;

/// <summary>Personal API tokens: issue with user name and password (lockout applies), revoke the one in use.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/auth").WithTags("Authentication");

        g.MapPost("/token", async (HttpRequest req, UserManager<ItsmUser> users, SignInManager<ItsmUser> signIn,
            ItsmDbContext db, IClock clock, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<TokenRequestBody>(req, ct);
            var userName = body.String("userName", 256, required: true);
            var password = body.String("password", 512, required: true);
            var name = body.String("name", 200) ?? "API token";
            body.ThrowIfInvalid();
            var user = await users.FindByNameAsync(userName!);
            if (user is null) return Results.Problem(statusCode: 401, title: "Sign-in failed.", detail: "Unknown user name or wrong password.");
            var check = await signIn.CheckPasswordSignInAsync(user, password!, lockoutOnFailure: true);
            if (check.IsLockedOut) return Results.Problem(statusCode: 401, title: "Account locked.", detail: "Too many failed sign-ins; try again later.");
            if (!check.Succeeded) return Results.Problem(statusCode: 401, title: "Sign-in failed.", detail: "Unknown user name or wrong password.");
            var token = ApiTokens.NewToken();
            var now = clock.UtcNow;
            var row = new ApiToken
            {
                Id = Guid.NewGuid(), UserId = user.Id, Name = name, TokenHash = ApiTokens.Hash(token),
                CreatedAt = now, ExpiresAt = now + ApiTokens.Lifetime,
            };
            db.ApiTokens.Add(row);
            await db.SaveChangesAsync(ct);
            return Results.Ok(new TokenResponse(token, row.ExpiresAt));
        }).AllowAnonymous().WithName("IssueApiToken").Accepts<TokenRequestBody>("application/json").Produces<TokenResponse>().ProducesProblem(401).ProducesValidationProblem();

        g.MapDelete("/token", async (HttpRequest req, ItsmDbContext db, IMemoryCache cache, IClock clock, CancellationToken ct) =>
        {
            var token = req.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
            var hash = ApiTokens.Hash(token);
            var row = await db.ApiTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
            if (row is null) return Results.NotFound();
            row.RevokedAt = clock.UtcNow;
            await db.SaveChangesAsync(ct);
            cache.Remove(ApiTokenHandler.CacheKey(hash));
            return Results.NoContent();
        }).WithName("RevokeApiToken").Produces(204).ProducesProblem(401);

        return api;
    }
}
