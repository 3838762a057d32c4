using AutoMapper;
using AutoMapper.QueryableExtensions;
using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>Runs a <see cref="ListTickets"/> over one kind's tickets: the same filters, sorts and paging for every module.</summary>
public sealed class TicketQueue(ICurrentUser user, IProcessCatalog processes, IConfigurationProvider mapping, ITextSearch search)
{
    public async Task<Page<TicketSummary>> PageAsync<T>(IQueryable<T> tickets, TicketKind kind, ListTickets r, CancellationToken ct) where T : Ticket
    {
        var actor = user.Actor;
        var process = processes.For(kind);
        var q = Filter(tickets.AsNoTracking().VisibleTo(kind, actor), r, actor, process);
        var total = await q.CountAsync(ct);
        var items = await Sort(q, r.Sort).Skip((r.Page - 1) * r.PageSize).Take(r.PageSize)
            .ProjectTo<TicketSummary>(mapping).ToListAsync(ct);
        foreach (var item in items) item.StateLabel = process.State(item.State).Label;
        return new Page<TicketSummary>(items, total, r.Page, r.PageSize);
    }

    private IQueryable<T> Filter<T>(IQueryable<T> q, ListTickets r, Actor actor, ProcessDefinition process) where T : Ticket
    {
        var active = process.ActiveStates.ToList();
        switch (r.Queue)
        {
            case "mine":
                q = q.Where(t => t.AssigneeId == actor.UserId && active.Contains(t.State));
                break;
            case "my-groups-unassigned":
                var groups = actor.GroupIds.ToList();
                q = q.Where(t => t.AssigneeId == null && t.AssignmentGroupId != null && groups.Contains(t.AssignmentGroupId.Value) && active.Contains(t.State));
                break;
            case "all-open":
                q = q.Where(t => active.Contains(t.State));
                break;
        }
        if (r.State is { Count: > 0 } states) q = q.Where(t => states.Contains(t.State));
        if (r.Priority is { Count: > 0 } priorities)
        {
            var ps = priorities.Select(p => (Priority)p).ToList();
            q = q.Where(t => ps.Contains(t.Priority));
        }
        if (r.AssignmentGroupId is { } gid) q = q.Where(t => t.AssignmentGroupId == gid);
        q = r.Assignee switch
        {
            null or "" => q,
            "none" => q.Where(t => t.AssigneeId == null),
            "me" => q.Where(t => t.AssigneeId == actor.UserId),
            var id => q.Where(t => t.AssigneeId == id),
        };
        q = r.Requester switch
        {
            null or "" => q,
            "me" => q.Where(t => t.RequesterId == actor.UserId),
            var id => q.Where(t => t.RequesterId == id),
        };
        if (!string.IsNullOrWhiteSpace(r.Text))
        {
            var text = r.Text.Trim();
            var number = text.ToUpperInvariant();
            q = TicketNumber.TryParse(number, out _)
                ? q.Where(t => t.Number == number)
                : q.Where(search.Contains<T>(t => t.ShortDescription, text));
        }
        return q;
    }

    private static IQueryable<T> Sort<T>(IQueryable<T> q, string? sort) where T : Ticket
    {
        var desc = sort?.StartsWith('-') ?? true;
        return (sort?.TrimStart('-') ?? "updated") switch
        {
            "number" => desc ? q.OrderByDescending(t => t.Number) : q.OrderBy(t => t.Number),
            "priority" => desc ? q.OrderByDescending(t => t.Priority).ThenByDescending(t => t.Number) : q.OrderBy(t => t.Priority).ThenBy(t => t.Number),
            "state" => desc ? q.OrderByDescending(t => t.State).ThenByDescending(t => t.Number) : q.OrderBy(t => t.State).ThenBy(t => t.Number),
            "opened" => desc ? q.OrderByDescending(t => t.OpenedAt).ThenByDescending(t => t.Number) : q.OrderBy(t => t.OpenedAt).ThenBy(t => t.Number),
            "shortDescription" => desc ? q.OrderByDescending(t => t.ShortDescription) : q.OrderBy(t => t.ShortDescription),
            "assignee" => desc ? q.OrderByDescending(t => t.AssigneeName) : q.OrderBy(t => t.AssigneeName),
            _ => desc ? q.OrderByDescending(t => t.UpdatedAt).ThenByDescending(t => t.Number) : q.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Number),
        };
    }
}
