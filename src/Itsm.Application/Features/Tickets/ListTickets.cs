using AutoMapper;
using AutoMapper.QueryableExtensions;
using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// The queue criteria every kind shares: preset queue, filters, sorting and paging with the total. A module's list
/// request (<c>ListIncidents</c>, <c>ListProblems</c>) derives from it.
/// </summary>
public abstract record ListTickets
{
    public const int MaxPageSize = 100;

    /// <summary>mine (assigned to me), my-groups-unassigned, all-open, or empty for no preset.</summary>
    public string? Queue { get; init; }
    public IReadOnlyList<string>? State { get; init; }
    public IReadOnlyList<int>? Priority { get; init; }
    public Guid? AssignmentGroupId { get; init; }
    /// <summary>A user id, "me" or "none".</summary>
    public string? Assignee { get; init; }
    /// <summary>A user id or "me".</summary>
    public string? Requester { get; init; }
    public string? Text { get; init; }
    /// <summary>A field name, "-" in front for descending.</summary>
    public string? Sort { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 25;

    public static readonly IReadOnlyList<string> Queues = ["mine", "my-groups-unassigned", "all-open"];
    public static readonly IReadOnlyList<string> SortFields = ["number", "priority", "state", "opened", "updated", "shortDescription", "assignee"];

    public IEnumerable<(string, string)> ValidateCommon(ProcessDefinition process)
    {
        if (Queue is { Length: > 0 } q && !Queues.Contains(q))
            yield return ("queue", $"Unknown queue '{q}'. Known: {string.Join(", ", Queues)}.");
        var states = process.States.Select(s => s.Id).ToList();
        foreach (var s in State ?? [])
            if (!states.Contains(s)) yield return ("state", $"Unknown state '{s}'. Known: {string.Join(", ", states)}.");
        foreach (var p in Priority ?? [])
            if (p is < 1 or > 4) yield return ("priority", "Priority must be 1, 2, 3 or 4.");
        if (Sort is { Length: > 0 } sort && !SortFields.Contains(sort.TrimStart('-')))
            yield return ("sort", $"Unknown sort field '{sort}'. Known: {string.Join(", ", SortFields)}.");
        if (Page < 1) yield return ("page", "Pages start at 1.");
        if (PageSize is < 1 or > MaxPageSize) yield return ("pageSize", $"Between 1 and {MaxPageSize}.");
        else if (Page > 1 && (long)(Page - 1) * PageSize > int.MaxValue) yield return ("page", "The page is beyond any possible result.");
        if (Text is { Length: > 200 }) yield return ("text", "At most 200 characters.");
    }
}

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
