using AutoMapper;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>Builds the details view of a change: mapped fields and labels, and the incidents it caused.</summary>
public sealed class ChangeDetailsBuilder(IItsmDbContext db, IMapper mapper, TicketDetailsFiller filler, ICurrentUser user, IProcessCatalog processes)
{
    public async Task<ChangeDetails> BuildAsync(Change change, CancellationToken ct)
    {
        var details = mapper.Map<ChangeDetails>(change);
        filler.Fill(details, TicketKind.Change, user.Actor);
        if (change.WasImplemented)
        {
            var incidents = processes.For(TicketKind.Incident);
            var rows = await db.Incidents.AsNoTracking().Where(i => i.CausedByChangeId == change.Id).OrderBy(i => i.Number)
                .Select(i => new { i.Number, i.ShortDescription, i.State, i.Priority, i.OpenedAt }).ToListAsync(ct);
            details.CausedIncidents = rows.Select(i => new LinkedTicketView(i.Number, "incident", i.ShortDescription, i.State, incidents.State(i.State).Label, i.Priority, i.OpenedAt)).ToList();
        }
        return details;
    }

    public async Task<ChangeDetails> BuildAsync(string number, CancellationToken ct) =>
        await BuildAsync(await db.Changes.LoadVisibleAsync(TicketKind.Change, number, user.Actor, ct), ct);
}
