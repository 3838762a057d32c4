using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>The worklog of a ticket, oldest first; requesters see public comments only.</summary>
[AuthorizeRoles]
public sealed record ListTicketWorklog(TicketKind Kind, string Number) : IRequest<IReadOnlyList<WorklogItem>>;

public sealed class ListTicketWorklogHandler(IItsmDbContext db, ICurrentUser user) : IRequestHandler<ListTicketWorklog, IReadOnlyList<WorklogItem>>
{
    public async Task<IReadOnlyList<WorklogItem>> Handle(ListTicketWorklog r, CancellationToken ct)
    {
        var actor = user.Actor;
        var id = await db.VisibleIdAsync(r.Kind, r.Number, actor, ct);
        var q = db.Worklog.AsNoTracking().Where(w => w.TicketId == id);
        if (!actor.IsFulfiller) q = q.Where(w => w.Kind == WorklogKind.Comment);
        var rows = await q.Select(w => new WorklogItem(w.Id, w.Kind == WorklogKind.WorkNote, w.Text, w.AuthorName, w.At)).ToListAsync(ct);
        return rows.OrderBy(w => w.At).ThenBy(w => w.Id).ToList();
    }
}
