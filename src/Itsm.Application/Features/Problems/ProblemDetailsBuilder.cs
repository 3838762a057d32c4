using AutoMapper;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Problems;

/// <summary>Builds the details view of a problem: mapped fields, labels and the linked incidents.</summary>
public sealed class ProblemDetailsBuilder(IItsmDbContext db, IMapper mapper, IProcessCatalog processes, TicketDetailsFiller filler, ICurrentUser user)
{
    public async Task<ProblemDetails> BuildAsync(Problem problem, CancellationToken ct)
    {
        var details = mapper.Map<ProblemDetails>(problem);
        filler.Fill(details, TicketKind.Problem, user.Actor);
        var incidents = processes.For(TicketKind.Incident);
        var rows = await db.Incidents.AsNoTracking().Where(i => i.ProblemId == problem.Id).OrderBy(i => i.Number)
            .Select(i => new { i.Number, i.ShortDescription, i.State, i.HoldReason }).ToListAsync(ct);
        details.Incidents = rows.Select(i =>
        {
            var state = incidents.State(i.State);
            return new LinkedIncident(i.Number, i.ShortDescription, i.State, state.Label, state.IsActive, i.HoldReason);
        }).ToList();
        return details;
    }

    public async Task<ProblemDetails> BuildAsync(string number, CancellationToken ct) =>
        await BuildAsync(await db.Problems.LoadVisibleAsync(TicketKind.Problem, number, user.Actor, ct), ct);
}
