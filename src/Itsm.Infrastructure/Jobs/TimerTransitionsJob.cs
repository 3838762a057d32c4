using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Itsm.Infrastructure.Jobs;

/// <summary>Applies the processes' timer transitions (an incident resolved past the auto-close delay closes).</summary>
[DisallowConcurrentExecution]
public sealed class TimerTransitionsJob(IServiceScopeFactory scopes, ILogger<TimerTransitionsJob> logger) : IJob
{
    public static readonly JobKey Key = new("timer-transitions");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        int closed;
        do
        {
            closed = await mediator.Send(new ApplyTimerTransitions(), cancellationToken);
            if (closed > 0) logger.LogInformation("Timer transitions moved {Count} tickets", closed);
        } while (closed > 0 && !cancellationToken.IsCancellationRequested);
    }
}
