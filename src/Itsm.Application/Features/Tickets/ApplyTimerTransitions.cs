using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// Applies every process's timer transitions (an incident resolved 7 days ago closes). The time counts from when the
/// ticket entered the state (<see cref="Ticket.StateChangedAt"/>, the history's last state change), whatever the
/// module. Run by the scheduler; returns how many tickets moved.
/// </summary>
public sealed record ApplyTimerTransitions(int BatchSize = 500) : IRequest<int>, ICommand;

public sealed class ApplyTimerTransitionsHandler(IItsmDbContext db, IClock clock, IProcessCatalog processes)
    : IRequestHandler<ApplyTimerTransitions, int>
{
    public async Task<int> Handle(ApplyTimerTransitions r, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var done = 0;
        foreach (var process in processes.All)
            foreach (var timer in process.AutomaticTransitions.Where(a => a.Trigger == AutomaticTrigger.Timer && a.AfterDays is not null))
            {
                var due = now.AddDays(-timer.AfterDays!.Value);
                var tickets = await db.Tickets
                    .Where(t => t.Kind == process.Kind && t.State == timer.From && t.StateChangedAt <= due)
                    .OrderBy(t => t.StateChangedAt).Take(r.BatchSize).ToListAsync(ct);
                foreach (var ticket in tickets.Where(t => timer.HoldReason is null || t.HoldReason == timer.HoldReason))
                {
                    ticket.ApplyAutomatic(process, timer, Actor.System, now);
                    done++;
                }
            }
        await db.SaveChangesAsync(ct);
        return done;
    }
}
