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
