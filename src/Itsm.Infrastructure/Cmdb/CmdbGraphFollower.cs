using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Cmdb;

/// <summary>
/// Builds the CMDB index before the server takes requests, then applies every instance's changesets every
/// <c>Cmdb:FollowMilliseconds</c> (250 by default), so several instances on one database agree within a poll.
/// </summary>
public sealed class CmdbGraphFollower(CmdbGraphStore store, ILogger<CmdbGraphFollower> logger, TimeSpan interval) : BackgroundService
{
    private bool _failing;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.LoadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await store.CatchUpAsync(stoppingToken);
                if (_failing) logger.LogInformation("Following the CMDB changesets works again");
                _failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!_failing) logger.LogWarning(e, "Following the CMDB changesets failed; retrying every {IntervalMs} ms", interval.TotalMilliseconds);
                _failing = true;
            }
        }
    }
}
