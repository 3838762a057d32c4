using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>
/// The change manager puts one more change at the end of the agenda of a meeting that is not closed, whenever the change
/// is planned: it must await the CAB (being authorised, a CAB approval still open) and not be on the agenda already.
/// </summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record AddChangeToCabAgenda(Guid Id, string? ChangeNumber, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

public sealed class AddChangeToCabAgendaValidator : IRequestValidator<AddChangeToCabAgenda>
{
    public IEnumerable<(string, string)> Validate(AddChangeToCabAgenda r)
    {
        if (string.IsNullOrWhiteSpace(r.ChangeNumber)) yield return ("changeNumber", "Give the number of the change to put on the agenda (CHG…).");
    }
}

public sealed class AddChangeToCabAgendaHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IMediator mediator)
    : IRequestHandler<AddChangeToCabAgenda, CabMeetingView>
{
    public async Task<CabMeetingView> Handle(AddChangeToCabAgenda r, CancellationToken ct)
    {
        var actor = user.Actor;
        var meeting = await CabMeetings.LoadAsync(db, r.Id, ct);
        meeting.EnsureVersion(r.ExpectedVersion);
        var change = await FindAsync(r.ChangeNumber!, actor, ct);
        meeting.AddItem(new CabAgendaEntry(change.Id, change.Number), await CabAgenda.AwaitsAsync(db, change, ct), actor, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return await mediator.Send(new GetCabMeeting(meeting.Id), ct);
    }

    /// <summary>The change named in the body: a field error, as when planning, when there is no such change for the caller.</summary>
    private async Task<Domain.Changes.Change> FindAsync(string number, Actor actor, CancellationToken ct)
    {
        var key = CabAgenda.ChangeKey(number) ?? throw new FieldValidationException("changeNumber", CabAgenda.NotAChangeNumber(number));
        return await db.Changes.AsNoTracking().VisibleTo(TicketKind.Change, actor).FirstOrDefaultAsync(c => c.Number == key, ct)
               ?? throw new FieldValidationException("changeNumber", $"There is no change {key}.");
    }
}
