using AutoMapper.QueryableExtensions;
using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
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
