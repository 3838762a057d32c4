using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Auth;

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
