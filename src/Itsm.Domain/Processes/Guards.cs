using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

/// <summary>What a guard may look at: the ticket as it is now, who acts, and when.</summary>
public interface IGuardedTicket
{
    string State { get; }
    string RequesterId { get; }
    Guid? AssignmentGroupId { get; }
    string? AssigneeId { get; }
    string? ResolutionCode { get; }
    string? ResolutionNotes { get; }
    DateTimeOffset? ResolvedAt { get; }
}

public sealed record GuardContext(IGuardedTicket Ticket, Actor Actor, DateTimeOffset Now, ProcessDefinition Process);

/// <summary>A named condition on a transition; the YAML names it, C# implements it.</summary>
public sealed record Guard(string Name, string Description, Func<GuardContext, bool> Allows);

/// <summary>The registry of guards a definition may name.</summary>
public static class Guards
{
    public static readonly IReadOnlyDictionary<string, Guard> All = new[]
    {
        new Guard("has-assignee", "the ticket has an assignee",
            c => c.Ticket.AssigneeId is not null),
        new Guard("has-assignment-group", "the ticket has an assignment group",
            c => c.Ticket.AssignmentGroupId is not null),
        new Guard("resolution-recorded", "a resolution code and notes are recorded",
            c => !string.IsNullOrWhiteSpace(c.Ticket.ResolutionCode) && !string.IsNullOrWhiteSpace(c.Ticket.ResolutionNotes)),
        new Guard("within-reopen-window", "the ticket was resolved within the reopen window",
            c => c.Ticket.ResolvedAt is { } at && c.Now - at <= TimeSpan.FromDays(c.Process.ReopenWindowDays)),
        new Guard("is-caller", "the person acting is the ticket's caller",
            c => c.Ticket.RequesterId == c.Actor.UserId),
        new Guard("is-caller-or-fulfiller", "the person acting is the caller or works tickets",
            c => c.Ticket.RequesterId == c.Actor.UserId || c.Actor.IsFulfiller),
    }.ToDictionary(g => g.Name);
}
