using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Jobs;

/// <summary>
/// Every <c>Cmdb:ImpactRefreshSeconds</c> (30), when the CMDB graph has changed since the last run, recomputes the
/// computed impacted services of the open incidents and problems (<see cref="RefreshImpactedServices"/>). Each instance
/// runs it on its own index; the result is the same, so running twice is harmless.
/// </summary>
public sealed class ImpactedServicesRefreshJob(IServiceScopeFactory scopes, ICmdbGraph graph, ILogger<ImpactedServicesRefreshJob> logger, TimeSpan interval)
    : BackgroundService
{
    private long _refreshedVersion = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var version = graph.Version;
            if (version == _refreshedVersion) continue;
            try
            {
                using var scope = scopes.CreateScope();
                var done = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RefreshImpactedServices(), stoppingToken);
                // Read before the run: a change during it is caught by the next one.
                _refreshedVersion = version;
                if (done.Changed > 0) logger.LogInformation("Impacted services refreshed on {Changed} of {Tickets} tickets", done.Changed, done.Tickets);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Refreshing impacted services failed; retrying in {IntervalSeconds} s", interval.TotalSeconds);
            }
        }
    }
}
