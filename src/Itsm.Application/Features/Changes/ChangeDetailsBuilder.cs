using AutoMapper;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Changes;

/// <summary>Builds the details view of a change: mapped fields and labels.</summary>
public sealed class ChangeDetailsBuilder(IItsmDbContext db, IMapper mapper, TicketDetailsFiller filler, ICurrentUser user)
{
    public Task<ChangeDetails> BuildAsync(Change change, CancellationToken ct)
    {
        var details = mapper.Map<ChangeDetails>(change);
        filler.Fill(details, TicketKind.Change, user.Actor);
        return Task.FromResult(details);
    }

    public async Task<ChangeDetails> BuildAsync(string number, CancellationToken ct) =>
        await BuildAsync(await db.Changes.LoadVisibleAsync(TicketKind.Change, number, user.Actor, ct), ct);
}
