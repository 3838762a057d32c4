using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Identity;

/// <summary>
/// Reads the security events other instances (and this one) append, every <c>Auth:SecurityEventPollMilliseconds</c>
/// (250 by default), and drops the cached principals of the users they name. Ids are taken in the order the
/// database hands them out, but on PostgreSQL a transaction that took a smaller id may commit after a larger one was
/// read: such a gap is asked for again on every poll until it shows up or is a minute old (an id rolled back).
/// </summary>
public sealed class SecurityEventListener(IServiceScopeFactory scopes, IEnumerable<IPrincipalCacheInvalidator> invalidators,
    ILogger<SecurityEventListener> logger, TimeSpan interval) : BackgroundService
{
    private readonly ChangeLogCursor _cursor = new();
    private bool _failing;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the server takes requests: older events concern principals this instance has not cached yet.
        using (var scope = scopes.CreateScope())
            _cursor.Start(await scope.ServiceProvider.GetRequiredService<ItsmDbContext>().Set<SecurityEvent>()
                .MaxAsync(e => (long?)e.Id, cancellationToken) ?? 0);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
                if (_failing) logger.LogInformation("Reading security events works again");
                _failing = false;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!_failing) logger.LogWarning(e, "Reading security events failed; retrying every {IntervalMs} ms", interval.TotalMilliseconds);
                _failing = true;
            }
        }
    }

    /// <summary>Reads the events after the last one seen (and the gaps before it) and drops the principals they name.</summary>
    public async Task PollAsync(CancellationToken ct)
    {
        var gaps = _cursor.Gaps.ToList();
        var last = _cursor.Last;
        List<SecurityEvent> rows;
        using (var scope = scopes.CreateScope())
            rows = await scope.ServiceProvider.GetRequiredService<ItsmDbContext>().Set<SecurityEvent>().AsNoTracking()
                .Where(e => e.Id > last || gaps.Contains(e.Id)).OrderBy(e => e.Id).Take(10_000).ToListAsync(ct);
        var everyone = false;
        foreach (var row in rows)
        {
            if (!_cursor.Saw(row.Id)) everyone = true; // too many gaps to follow: drop everything, which is always safe
            if (row.UserId is null) everyone = true;
            else foreach (var i in invalidators) i.Invalidate(row.UserId);
        }
        if (everyone) foreach (var i in invalidators) i.Invalidate(null);
        _cursor.Expire();
    }
}
