using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Adds a public comment or (service desk only) an internal work note.</summary>
[AuthorizeRoles]
public sealed record CommentOnIncident : IRequest<WorklogItem>, ICommand
{
    public string Number { get; init; } = "";
    public string Text { get; init; } = "";
    public bool WorkNote { get; init; }
}

public sealed class CommentOnIncidentHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes)
    : IRequestHandler<CommentOnIncident, WorklogItem>
{
    public async Task<WorklogItem> Handle(CommentOnIncident r, CancellationToken ct)
    {
        var actor = user.Actor;
        var incident = await db.LoadVisibleAsync(r.Number, actor, ct);
        var entry = incident.AddWorklog(r.WorkNote ? WorklogKind.WorkNote : WorklogKind.Comment, r.Text,
            processes.For(TicketKind.Incident), actor, clock.UtcNow);
        db.Worklog.Add(entry);
        await db.SaveChangesAsync(ct);
        return new WorklogItem(entry.Id, entry.Kind == WorklogKind.WorkNote, entry.Text, entry.AuthorName, entry.At);
    }
}

/// <summary>The worklog of an incident, oldest first; requesters see public comments only.</summary>
[AuthorizeRoles]
public sealed record ListIncidentWorklog(string Number) : IRequest<IReadOnlyList<WorklogItem>>;

public sealed class ListIncidentWorklogHandler(IItsmDbContext db, ICurrentUser user) : IRequestHandler<ListIncidentWorklog, IReadOnlyList<WorklogItem>>
{
    public async Task<IReadOnlyList<WorklogItem>> Handle(ListIncidentWorklog r, CancellationToken ct)
    {
        var actor = user.Actor;
        var id = await db.Incidents.VisibleTo(actor).Where(i => i.Number == r.Number.ToUpperInvariant()).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct)
                 ?? throw new NotFoundException($"Incident {r.Number}");
        var q = db.Worklog.AsNoTracking().Where(w => w.TicketId == id);
        if (!actor.IsFulfiller) q = q.Where(w => w.Kind == WorklogKind.Comment);
        var rows = await q.Select(w => new WorklogItem(w.Id, w.Kind == WorklogKind.WorkNote, w.Text, w.AuthorName, w.At)).ToListAsync(ct);
        return rows.OrderBy(w => w.At).ToList();
    }
}

/// <summary>The field-level audit history of an incident, oldest first.</summary>
[AuthorizeRoles]
public sealed record GetIncidentHistory(string Number) : IRequest<IReadOnlyList<HistoryItem>>;

public sealed class GetIncidentHistoryHandler(IItsmDbContext db, ICurrentUser user) : IRequestHandler<GetIncidentHistory, IReadOnlyList<HistoryItem>>
{
    public async Task<IReadOnlyList<HistoryItem>> Handle(GetIncidentHistory r, CancellationToken ct)
    {
        var id = await db.Incidents.VisibleTo(user.Actor).Where(i => i.Number == r.Number.ToUpperInvariant()).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct)
                 ?? throw new NotFoundException($"Incident {r.Number}");
        var changes = await db.TicketChanges.AsNoTracking().Where(c => c.TicketId == id).ToListAsync(ct);
        // In the ticket's version order, exact even when times tie or clocks disagree (history from before migration
        // 0004 has version 0: its time orders it).
        return changes.OrderBy(c => c.TicketVersion).ThenBy(c => c.At).ThenBy(c => c.Id)
            .SelectMany(c => c.Entries())
            .Select(e => new HistoryItem(e.At, e.ActorName, e.Field, e.OldValue, e.NewValue))
            .ToList();
    }
}
