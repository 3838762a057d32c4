using AutoMapper;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Builds the details view of an incident: mapped fields, labels, child incidents and the linked problem.</summary>
public sealed class IncidentDetailsBuilder(IItsmDbContext db, IMapper mapper, IProcessCatalog processes, TicketDetailsFiller filler, ICurrentUser user)
{
    /// <param name="isNew">A just-logged incident has no children or problem yet: skip those queries on the hot create path.</param>
    public async Task<IncidentDetails> BuildAsync(Incident incident, CancellationToken ct, bool isNew = false)
    {
        var actor = user.Actor;
        var details = mapper.Map<IncidentDetails>(incident);
        filler.Fill(details, TicketKind.Incident, actor);
        if (!actor.IsFulfiller) details.CausedByChangeNumber = null;
        if (isNew) return details;
        details.ChildIncidentNumbers = await db.Incidents.AsNoTracking()
            .Where(i => i.ParentIncidentId == incident.Id)
            .OrderBy(i => i.Number).Select(i => i.Number).ToListAsync(ct);
        if (incident.ProblemId is { } problemId && actor.IsFulfiller)
        {
            var p = await db.Problems.AsNoTracking().Where(x => x.Id == problemId)
                .Select(x => new { x.Number, x.ShortDescription, x.State, x.IsKnownError, x.Workaround }).FirstOrDefaultAsync(ct);
            if (p is not null)
                details.Problem = new LinkedProblem(p.Number, p.ShortDescription, p.State, processes.For(TicketKind.Problem).State(p.State).Label,
                    p.IsKnownError, p.Workaround);
        }
        return details;
    }

    public async Task<IncidentDetails> BuildAsync(string number, CancellationToken ct) =>
        await BuildAsync(await db.Incidents.LoadVisibleAsync(TicketKind.Incident, number, user.Actor, ct), ct);
}
