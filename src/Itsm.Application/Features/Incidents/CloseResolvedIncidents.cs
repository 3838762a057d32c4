using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Applies the process's timer transitions (resolved → closed after N days). Run by the scheduler.</summary>
public sealed record CloseResolvedIncidents(int BatchSize = 500) : IRequest<int>, ICommand;

public sealed class CloseResolvedIncidentsHandler(IItsmDbContext db, IClock clock, IProcessCatalog processes)
    : IRequestHandler<CloseResolvedIncidents, int>
{
    public async Task<int> Handle(CloseResolvedIncidents r, CancellationToken ct)
    {
        var process = processes.For(TicketKind.Incident);
        var now = clock.UtcNow;
        var done = 0;
        foreach (var timer in process.AutomaticTransitions.Where(a => a.Trigger == AutomaticTrigger.Timer && a.AfterDays is not null))
        {
            var due = now.AddDays(-timer.AfterDays!.Value);
            var incidents = await db.Incidents
                .Where(i => i.State == timer.From && i.ResolvedAt != null && i.ResolvedAt <= due)
                .OrderBy(i => i.ResolvedAt).Take(r.BatchSize).ToListAsync(ct);
            foreach (var incident in incidents) incident.ApplyAutomatic(process, timer, Actor.System, now);
            done += incidents.Count;
        }
        await db.SaveChangesAsync(ct);
        return done;
    }
}
