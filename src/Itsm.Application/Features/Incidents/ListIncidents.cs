using AutoMapper;
using AutoMapper.QueryableExtensions;
using Itsm.Application.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>The agent queues and "my tickets": filters, sorting and paging with the total.</summary>
[AuthorizeRoles]
public sealed record ListIncidents : IRequest<Page<IncidentSummary>>
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
}

public sealed class ListIncidentsValidator(IProcessCatalog processes) : IRequestValidator<ListIncidents>
{
    public IEnumerable<(string, string)> Validate(ListIncidents r)
    {
        if (r.Queue is { Length: > 0 } q && !ListIncidents.Queues.Contains(q))
            yield return ("queue", $"Unknown queue '{q}'. Known: {string.Join(", ", ListIncidents.Queues)}.");
        var states = processes.For(TicketKind.Incident).States.Select(s => s.Id).ToList();
        foreach (var s in r.State ?? [])
            if (!states.Contains(s)) yield return ("state", $"Unknown state '{s}'. Known: {string.Join(", ", states)}.");
        foreach (var p in r.Priority ?? [])
            if (p is < 1 or > 4) yield return ("priority", "Priority must be 1, 2, 3 or 4.");
        if (r.Sort is { Length: > 0 } sort && !ListIncidents.SortFields.Contains(sort.TrimStart('-')))
            yield return ("sort", $"Unknown sort field '{sort}'. Known: {string.Join(", ", ListIncidents.SortFields)}.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > ListIncidents.MaxPageSize) yield return ("pageSize", $"Between 1 and {ListIncidents.MaxPageSize}.");
        else if (r.Page > 1 && (long)(r.Page - 1) * r.PageSize > int.MaxValue) yield return ("page", "The page is beyond any possible result.");
        if (r.Text is { Length: > 200 }) yield return ("text", "At most 200 characters.");
    }
}

public sealed class ListIncidentsHandler(IItsmDbContext db, ICurrentUser user, IProcessCatalog processes, IConfigurationProvider mapping, ITextSearch search)
    : IRequestHandler<ListIncidents, Page<IncidentSummary>>
{
    public async Task<Page<IncidentSummary>> Handle(ListIncidents r, CancellationToken ct)
    {
        var actor = user.Actor;
        var process = processes.For(TicketKind.Incident);
        var active = process.ActiveStates.ToList();
        var q = db.Incidents.AsNoTracking().VisibleTo(actor);

        switch (r.Queue)
        {
            case "mine":
                q = q.Where(i => i.AssigneeId == actor.UserId && active.Contains(i.State));
                break;
            case "my-groups-unassigned":
                var groups = actor.GroupIds.ToList();
                q = q.Where(i => i.AssigneeId == null && i.AssignmentGroupId != null && groups.Contains(i.AssignmentGroupId.Value) && active.Contains(i.State));
                break;
            case "all-open":
                q = q.Where(i => active.Contains(i.State));
                break;
        }
        if (r.State is { Count: > 0 } states) q = q.Where(i => states.Contains(i.State));
        if (r.Priority is { Count: > 0 } priorities)
        {
            var ps = priorities.Select(p => (Priority)p).ToList();
            q = q.Where(i => ps.Contains(i.Priority));
        }
        if (r.AssignmentGroupId is { } gid) q = q.Where(i => i.AssignmentGroupId == gid);
        q = r.Assignee switch
        {
            null or "" => q,
            "none" => q.Where(i => i.AssigneeId == null),
            "me" => q.Where(i => i.AssigneeId == actor.UserId),
            var id => q.Where(i => i.AssigneeId == id),
        };
        q = r.Requester switch
        {
            null or "" => q,
            "me" => q.Where(i => i.RequesterId == actor.UserId),
            var id => q.Where(i => i.RequesterId == id),
        };
        if (!string.IsNullOrWhiteSpace(r.Text))
        {
            var text = r.Text.Trim();
            var number = text.ToUpperInvariant();
            q = TicketNumber.TryParse(number, out _)
                ? q.Where(i => i.Number == number)
                : q.Where(search.Contains<Incident>(i => i.ShortDescription, text));
        }

        var total = await q.CountAsync(ct);
        var sorted = Sort(q, r.Sort);
        var items = await sorted.Skip((r.Page - 1) * r.PageSize).Take(r.PageSize)
            .ProjectTo<IncidentSummary>(mapping).ToListAsync(ct);
        foreach (var item in items) item.StateLabel = process.State(item.State).Label;
        return new Page<IncidentSummary>(items, total, r.Page, r.PageSize);
    }

    private static IQueryable<Incident> Sort(IQueryable<Incident> q, string? sort)
    {
        var desc = sort?.StartsWith('-') ?? true;
        return (sort?.TrimStart('-') ?? "updated") switch
        {
            "number" => desc ? q.OrderByDescending(i => i.Number) : q.OrderBy(i => i.Number),
            "priority" => desc ? q.OrderByDescending(i => i.Priority).ThenByDescending(i => i.Number) : q.OrderBy(i => i.Priority).ThenBy(i => i.Number),
            "state" => desc ? q.OrderByDescending(i => i.State).ThenByDescending(i => i.Number) : q.OrderBy(i => i.State).ThenBy(i => i.Number),
            "opened" => desc ? q.OrderByDescending(i => i.OpenedAt).ThenByDescending(i => i.Number) : q.OrderBy(i => i.OpenedAt).ThenBy(i => i.Number),
            "shortDescription" => desc ? q.OrderByDescending(i => i.ShortDescription) : q.OrderBy(i => i.ShortDescription),
            "assignee" => desc ? q.OrderByDescending(i => i.AssigneeName) : q.OrderBy(i => i.AssigneeName),
            _ => desc ? q.OrderByDescending(i => i.UpdatedAt).ThenByDescending(i => i.Number) : q.OrderBy(i => i.UpdatedAt).ThenBy(i => i.Number),
        };
    }
}
