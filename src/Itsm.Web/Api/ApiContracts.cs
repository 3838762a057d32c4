using Itsm.Application.Features.Tickets;

namespace Itsm.Web.Api;

// The shapes of the API's request bodies, for the OpenAPI document. The endpoints read bodies strictly
// with JsonInput (unknown fields are errors), so these records describe, they do not bind.

/// <summary>POST /incidents. impact and urgency: 1 high, 2 medium, 3 low (default 3).</summary>
public sealed record LogIncidentBody(string ShortDescription, string? Description, int? Impact, int? Urgency, string? Category,
    Guid? AssignmentGroupId, string? AssigneeId, string? Caller);

/// <summary>PATCH /incidents/{number}: only the fields present change; null clears. Send If-Match with the ETag.</summary>
public sealed record UpdateIncidentBody(string? ShortDescription, string? Description, int? Impact, int? Urgency, string? Category,
    Guid? AssignmentGroupId, string? AssigneeId, int? PriorityOverride, string? PriorityOverrideReason, string? ParentIncidentNumber);

/// <summary>POST /{incidents|problems}/{number}/transitions, e.g. {"transition":"resolve","fields":{"resolutionCode":"…","resolutionNotes":"…"}}.</summary>
public sealed record TransitionBody(string Transition, Dictionary<string, string?>? Fields);

/// <summary>POST /{incidents|problems}/{number}/comments; workNote true for an internal note (service desk only).</summary>
public sealed record CommentBody(string Text, bool? WorkNote);

/// <summary>POST /auth/token.</summary>
public sealed record TokenRequestBody(string UserName, string Password, string? Name);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, int Total, int Page, int PageSize, int PageCount);

/// <summary>POST /problems. From an incident (incidentNumber), what is left out is taken from the incident, which is linked.</summary>
public sealed record LogProblemBody(string? ShortDescription, string? Description, int? Impact, int? Urgency, string? Category,
    Guid? AssignmentGroupId, string? AssigneeId, string? IncidentNumber);

/// <summary>PATCH /problems/{number}: only the fields present change; null clears. Send If-Match with the ETag.</summary>
public sealed record UpdateProblemBody(string? ShortDescription, string? Description, int? Impact, int? Urgency, string? Category,
    Guid? AssignmentGroupId, string? AssigneeId, int? PriorityOverride, string? PriorityOverrideReason);

/// <summary>PUT /problems/{number}/root-cause: both are replaced; null or blank clears one.</summary>
public sealed record RootCauseBody(string? RootCause, string? Workaround);

/// <summary>POST /problems/{number}/incidents: the incident to link.</summary>
public sealed record LinkIncidentBody(string Incident);

/// <summary>POST /problems/{number}/resolve-incidents: resolution code (default solved-permanently) and notes for every open linked incident.</summary>
public sealed record ResolveLinkedIncidentsBody(string? ResolutionCode, string? ResolutionNotes);

public sealed record ResolvedIncidents(IReadOnlyList<string> Resolved);

public sealed record KnownErrorPage(IReadOnlyList<Itsm.Application.Features.Problems.KnownErrorItem> Items, int Total, int Page, int PageSize, int PageCount);
