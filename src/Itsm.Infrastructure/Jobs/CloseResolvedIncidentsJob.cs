using Itsm.Application.Features.Incidents;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Itsm.Infrastructure.Jobs;

/// <summary>Closes incidents that stayed resolved past the process's auto-close delay.</summary>
[DisallowConcurrentExecution]
public sealed class CloseResolvedIncidentsJob(IServiceScopeFactory scopes, ILogger<CloseResolvedIncidentsJob> logger) : IJob
{
    public static readonly JobKey Key = new("close-resolved-incidents");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        int closed;
        do
        {
            closed = await mediator.Send(new CloseResolvedIncidents(), cancellationToken);
            if (closed > 0) logger.LogInformation("Auto-closed {Count} resolved incidents", closed);
        } while (closed > 0 && !cancellationToken.IsCancellationRequested);
    }
}
