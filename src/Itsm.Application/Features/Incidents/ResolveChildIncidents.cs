using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>When a major incident is resolved (its transition recorded a resolution), its open children are resolved with it.</summary>
public sealed class ResolveChildIncidents(IItsmDbContext db, IProcessCatalog processes) : ITransitionReaction
{
    public TicketKind Kind => TicketKind.Incident;

    public async Task ReactAsync(Ticket ticket, TransitionOutcome outcome, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (!outcome.Did(TransitionEffects.RecordResolution)) return;
        var parent = (Incident)ticket;
        var process = processes.For(TicketKind.Incident);
        var active = process.ActiveStates.ToList();
        var children = await db.Incidents.Where(i => i.ParentIncidentId == parent.Id && active.Contains(i.State)).ToListAsync(ct);
        foreach (var child in children) child.ResolveWithParent(parent, process, Actor.System, now);
    }
}
