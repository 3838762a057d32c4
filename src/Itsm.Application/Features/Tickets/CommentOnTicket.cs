using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Tickets;

/// <summary>Adds a public comment or (fulfillers only) an internal work note to a ticket of any kind.</summary>
[AuthorizeRoles]
public sealed record CommentOnTicket : IRequest<WorklogItem>, ICommand
{
    public TicketKind Kind { get; init; }
    public string Number { get; init; } = "";
    public string Text { get; init; } = "";
    public bool WorkNote { get; init; }
}

public sealed class CommentOnTicketHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes)
    : IRequestHandler<CommentOnTicket, WorklogItem>
{
    public async Task<WorklogItem> Handle(CommentOnTicket r, CancellationToken ct)
    {
        var actor = user.Actor;
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, actor, ct);
        var entry = ticket.AddWorklog(r.WorkNote ? WorklogKind.WorkNote : WorklogKind.Comment, r.Text, processes.For(r.Kind), actor, clock.UtcNow);
        db.Worklog.Add(entry);
        await db.SaveChangesAsync(ct);
        return new WorklogItem(entry.Id, entry.Kind == WorklogKind.WorkNote, entry.Text, entry.AuthorName, entry.At);
    }
}
