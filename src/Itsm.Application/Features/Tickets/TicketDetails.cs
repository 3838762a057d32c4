using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>A ticket as its page and the API show it: the core's fields; each module's details add their own.</summary>
public abstract class TicketDetails
{
    public string Number { get; set; } = "";
    public string ShortDescription { get; set; } = "";
    public string? Description { get; set; }
    public string State { get; set; } = "";
    public string StateLabel { get; set; } = "";
    public bool IsActive { get; set; }
    public Impact Impact { get; set; }
    public Urgency Urgency { get; set; }
    public Priority Priority { get; set; }
    /// <summary>Internal: null for requesters.</summary>
    public string? PriorityOverrideReason { get; set; }
    public string? CategoryCode { get; set; }
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public Guid? AssignmentGroupId { get; set; }
    public string? AssignmentGroupName { get; set; }
    public string? AssigneeId { get; set; }
    public string? AssigneeName { get; set; }
    /// <summary>Internal: null for requesters.</summary>
    public int? ReassignmentCount { get; set; }
    public int ReopenCount { get; set; }
    public string? HoldReason { get; set; }
    public string? ResolutionCode { get; set; }
    public string? ResolutionNotes { get; set; }
    public string? CancelReason { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int Version { get; set; }
}
