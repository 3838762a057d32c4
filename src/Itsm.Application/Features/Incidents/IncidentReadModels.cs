using AutoMapper;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Incidents;

/// <summary>A row of an agent queue or of "my tickets".</summary>
public sealed class IncidentSummary
{
    public string Number { get; set; } = "";
    public string ShortDescription { get; set; } = "";
    public string State { get; set; } = "";
    public string StateLabel { get; set; } = "";
    public Priority Priority { get; set; }
    public Impact Impact { get; set; }
    public Urgency Urgency { get; set; }
    public string? CategoryCode { get; set; }
    public string RequesterName { get; set; } = "";
    public string? AssignmentGroupName { get; set; }
    public string? AssigneeName { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An incident as its page and the API show it.</summary>
public sealed class IncidentDetails
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
    public string? PriorityOverrideReason { get; set; }
    public string? CategoryCode { get; set; }
    public string RequesterId { get; set; } = "";
    public string RequesterName { get; set; } = "";
    public Guid? AssignmentGroupId { get; set; }
    public string? AssignmentGroupName { get; set; }
    public string? AssigneeId { get; set; }
    public string? AssigneeName { get; set; }
    public int ReassignmentCount { get; set; }
    public int ReopenCount { get; set; }
    public string? HoldReason { get; set; }
    public string? ResolutionCode { get; set; }
    public string? ResolutionNotes { get; set; }
    public string? CancelReason { get; set; }
    public string? ParentIncidentNumber { get; set; }
    public IReadOnlyList<string> ChildIncidentNumbers { get; set; } = [];
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>A worklog entry; WorkNote marks an internal note that requesters never see.</summary>
public sealed record WorklogItem(Guid Id, bool WorkNote, string Text, string AuthorName, DateTimeOffset At);

public sealed record HistoryItem(DateTimeOffset At, string ActorName, string Field, string? OldValue, string? NewValue);

public sealed record TransitionOption(string Name, string Label, string To, IReadOnlyList<string> RequiredFields);

public sealed class IncidentMappingProfile : Profile
{
    public IncidentMappingProfile()
    {
        CreateMap<Incident, IncidentSummary>()
            .ForMember(d => d.StateLabel, o => o.Ignore());
        CreateMap<Incident, IncidentDetails>()
            .ForMember(d => d.StateLabel, o => o.Ignore())
            .ForMember(d => d.IsActive, o => o.Ignore())
            .ForMember(d => d.ChildIncidentNumbers, o => o.Ignore());
    }
}
