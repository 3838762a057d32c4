using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>The field-level audit history of a ticket, oldest first; requesters do not see the desk's internal fields.</summary>
[AuthorizeRoles]
public sealed record GetTicketHistory(TicketKind Kind, string Number) : IRequest<IReadOnlyList<HistoryItem>>;

public sealed class GetTicketHistoryHandler(IItsmDbContext db, ICurrentUser user) : IRequestHandler<GetTicketHistory, IReadOnlyList<HistoryItem>>
{
    public async Task<IReadOnlyList<HistoryItem>> Handle(GetTicketHistory r, CancellationToken ct)
    {
        var actor = user.Actor;
        var id = await db.VisibleIdAsync(r.Kind, r.Number, actor, ct);
        var changes = await db.TicketChanges.AsNoTracking().Where(c => c.TicketId == id).ToListAsync(ct);
        // In the ticket's version order, exact even when times tie or clocks disagree (history from before migration
        // 0004 has version 0: its time orders it).
        return changes.OrderBy(c => c.TicketVersion).ThenBy(c => c.At).ThenBy(c => c.Id)
            .SelectMany(c => c.Entries())
            .Where(e => actor.IsFulfiller || !TicketAccess.InternalFields.Contains(e.Field))
            .Select(e => new HistoryItem(e.At, e.ActorName, e.Field, e.OldValue, e.NewValue))
            .ToList();
    }
}
