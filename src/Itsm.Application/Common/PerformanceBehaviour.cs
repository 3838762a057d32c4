using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Itsm.Application.Common;

/// <summary>Warns about slow use cases, with the request's name only (no personal data).</summary>
public sealed class PerformanceBehaviour<TRequest, TResponse>(ILogger<PerformanceBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await next();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > TimeSpan.FromMilliseconds(500))
            logger.LogWarning("Slow request {Request} took {ElapsedMs} ms", typeof(TRequest).Name, (long)elapsed.TotalMilliseconds);
        return response;
    }
}
