using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// "Take": assigns the ticket to the caller. It stays in its group when the caller is a member; otherwise it moves to
/// the first of the caller's groups by name.
/// </summary>
[AuthorizeRoles]
public sealed record TakeTicket(TicketKind Kind, string Number, int? ExpectedVersion) : IRequest<string>, ICommand;

public sealed class TakeTicketHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IReferenceData referenceData, IUserDirectory users)
    : IRequestHandler<TakeTicket, string>
{
    public async Task<string> Handle(TakeTicket r, CancellationToken ct)
    {
        var actor = user.Actor;
        TicketAccess.EnsureMayWork(r.Kind, actor);
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, actor, ct);
        ticket.EnsureVersion(r.ExpectedVersion);
        AssignmentGroup? group = null;
        if (ticket.AssignmentGroupId is { } current && actor.GroupIds.Contains(current))
            group = await referenceData.FindGroupAsync(current, ct);
        if (group is null)
        {
            var mine = new List<AssignmentGroup>();
            foreach (var id in actor.GroupIds)
                if (await referenceData.FindGroupAsync(id, ct) is { } g) mine.Add(g);
            group = mine.OrderBy(g => g.Name, StringComparer.Ordinal).FirstOrDefault()
                    ?? throw new BusinessRuleException("no-group",
                        "You are not a member of any assignment group, so you cannot take tickets. Ask an administrator to add you to one.");
        }
        var me = await users.FindAsync(actor.UserId, ct);
        ticket.Assign(group, actor.UserId, me?.DisplayName ?? actor.UserName, actor, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return ticket.Number;
    }
}
