using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>
/// The change manager takes one change off the agenda of a meeting that is not closed, as long as the board has recorded
/// no decision on it; the changes after it move up.
/// </summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record RemoveChangeFromCabAgenda(Guid Id, string ChangeNumber, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

public sealed class RemoveChangeFromCabAgendaHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IMediator mediator)
    : IRequestHandler<RemoveChangeFromCabAgenda, CabMeetingView>
{
    public async Task<CabMeetingView> Handle(RemoveChangeFromCabAgenda r, CancellationToken ct)
    {
        var meeting = await CabMeetings.LoadAsync(db, r.Id, ct);
        meeting.EnsureVersion(r.ExpectedVersion);
        meeting.RemoveItem(r.ChangeNumber, user.Actor, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return await mediator.Send(new GetCabMeeting(meeting.Id), ct);
    }
}
