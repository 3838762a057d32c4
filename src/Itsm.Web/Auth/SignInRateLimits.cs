using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Itsm.Web.Auth;

/// <summary>
/// How many sign-ins (the login form's POST and POST /api/v1/auth/token) are let through per window, per client
/// address and per user name (<c>Auth:SignInRateLimit:*</c>). Every attempt counts, successful or not. Identity's
/// lockout still applies on top; these limits slow down guessing across many accounts and keep password hashing
/// from being used to load the server.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "Auth:SignInRateLimit";

    /// <summary>Attempts per client address per window.</summary>
    public int PerAddress { get; set; } = 30;

    /// <summary>Attempts per user name (whatever the address) per window.</summary>
    public int PerUserName { get; set; } = 10;

    public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(Math.Max(1, WindowSeconds));
}

/// <summary>The per-user-name limiter: the user name is only known once the form or JSON body is read.</summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perUserName;

    public SignInThrottle(SignInRateLimitOptions options) =>
        _perUserName = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.PerUserName), Window = options.Window, QueueLimit = 0 }));

    /// <summary>Takes one attempt for the user name; false, with when to retry, when its window is used up.</summary>
    public bool TryAcquire(string userName, out TimeSpan retryAfter)
    {
        using var lease = _perUserName.AttemptAcquire(userName.Trim().ToUpperInvariant());
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _perUserName.Dispose();
}

public static class SignInRateLimiting
{
    /// <summary>The rate-limiting policy on both sign-in endpoints (per client address).</summary>
    public const string Policy = "sign-in";

    public const string Title = "Too many sign-in attempts.";
    public const string Detail = "Too many sign-in attempts. Wait a moment and try again.";

    public static IServiceCollection AddSignInRateLimiting(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(SignInRateLimitOptions.Section).Get<SignInRateLimitOptions>() ?? new SignInRateLimitOptions();
        services.AddSingleton(options);
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.PerAddress), Window = options.Window, QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Window;
                SetRetryAfter(ctx.HttpContext.Response, retryAfter);
                // The API gets problem details; the login page's POST is re-executed as the friendly /Status/429 page.
                if (ctx.HttpContext.Request.Path.StartsWithSegments("/api"))
                    await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = ctx.HttpContext,
                        ProblemDetails = Problem(),
                    });
            };
        });
        return services;
    }

    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static ProblemDetails Problem() => new() { Status = StatusCodes.Status429TooManyRequests, Title = Title, Detail = Detail };
}
