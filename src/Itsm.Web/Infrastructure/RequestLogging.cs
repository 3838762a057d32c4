using System.Diagnostics;

namespace Itsm.Web.Infrastructure;

/// <summary>
/// One structured line per request with a correlation id (taken from X-Correlation-Id or made here, and echoed back).
/// Only method, path, status and time are logged: never query strings, bodies or headers, which may hold secrets.
/// </summary>
public sealed class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public const string Header = "X-Correlation-Id";
    private const double SlowMilliseconds = 5000;

    public async Task InvokeAsync(HttpContext http)
    {
        var incoming = http.Request.Headers[Header].ToString();
        var id = incoming.Length is > 0 and <= 64 && incoming.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? incoming : http.TraceIdentifier;
        http.Response.Headers[Header] = id;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id });
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            // A request that takes seconds is worth a warning whatever its status: something waited (a lock, a pool).
            if (http.Response.StatusCode >= 500 || ms >= SlowMilliseconds)
                logger.LogWarning("HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms", http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, ms);
            else if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms", http.Request.Method, http.Request.Path.Value, http.Response.StatusCode, ms);
        }
    }
}
