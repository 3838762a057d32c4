using Itsm.Application.Features.Tickets;

namespace Itsm.Web.Api;

// The API's request bodies. Each record is both what the OpenAPI document shows (.Accepts<T>()) and what the
// endpoint accepts (JsonInput.ReadAsync<T>: its properties are the allowed fields, the non-nullable ones required).
// Optional fields are nullable with a default, so that the document does not list them as required.

/// <summary>POST /incidents. impact and urgency: 1 high, 2 medium, 3 low (default 3).</summary>
public sealed record LogIncidentBody(string ShortDescription, string? Description = null, int? Impact = null, int? Urgency = null,
    string? Category = null, Guid? AssignmentGroupId = null, string? AssigneeId = null, string? Caller = null);

/// <summary>PATCH /incidents/{number}: only the fields present change; null clears. Send If-Match with the ETag.</summary>
public sealed record UpdateIncidentBody(string? ShortDescription = null, string? Description = null, int? Impact = null, int? Urgency = null,
    string? Category = null, Guid? AssignmentGroupId = null, string? AssigneeId = null, int? PriorityOverride = null,
    string? PriorityOverrideReason = null, string? ParentIncidentNumber = null, string? CausedByChangeNumber = null);

/// <summary>POST /{incidents|problems}/{number}/transitions, e.g. {"transition":"resolve","fields":{"resolutionCode":"…","resolutionNotes":"…"}}.</summary>
public sealed record TransitionBody(string Transition, Dictionary<string, string?>? Fields = null);

/// <summary>POST /{incidents|problems}/{number}/comments; workNote true for an internal note (service desk only).</summary>
public sealed record CommentBody(string Text, bool? WorkNote = null);

/// <summary>POST /auth/token.</summary>
public sealed record TokenRequestBody(string UserName, string Password, string? Name = null);

public sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

public sealed record TicketPage(IReadOnlyList<TicketSummary> Items, int Total, int Page, int PageSize, int PageCount);

/// <summary>POST /problems. From an incident (incidentNumber), what is left out is taken from the incident, which is linked.</summary>
public sealed record LogProblemBody(string? ShortDescription = null, string? Description = null, int? Impact = null, int? Urgency = null,
    string? Category = null, Guid? AssignmentGroupId = null, string? AssigneeId = null, string? IncidentNumber = null);

/// <summary>PATCH /problems/{number}: only the fields present change; null clears. Send If-Match with the ETag.</summary>
public sealed record UpdateProblemBody(string? ShortDescription = null, string? Description = null, int? Impact = null, int? Urgency = null,
    string? Category = null, Guid? AssignmentGroupId = null, string? AssigneeId = null, int? PriorityOverride = null, string? PriorityOverrideReason = null);

/// <summary>PUT /problems/{number}/root-cause: both are replaced; null or blank clears one.</summary>
public sealed record RootCauseBody(string? RootCause = null, string? Workaround = null);

/// <summary>POST /problems/{number}/incidents: the incident to link.</summary>
public sealed record LinkIncidentBody(string Incident);

/// <summary>POST /problems/{number}/resolve-incidents: resolution code (default solved-permanently) and notes for every open linked incident.</summary>
public sealed record ResolveLinkedIncidentsBody(string? ResolutionCode = null, string? ResolutionNotes = null);

public sealed record ResolvedIncidents(IReadOnlyList<string> Resolved);

public sealed record KnownErrorPage(IReadOnlyList<Itsm.Application.Features.Problems.KnownErrorItem> Items, int Total, int Page, int PageSize, int PageCount);

/// <summary>POST /cis. class: a CI class code (GET /cmdb/classes); groups by id or name; attributes as text.</summary>
public sealed record RegisterCiBody(string Class, string Name, string? Status = null, string? Environment = null, int? Criticality = null,
    string? OwnerGroup = null, string? SupportGroup = null, bool? Restricted = null, string? Redundancy = null,
    Dictionary<string, string?>? Attributes = null, string? Reason = null, string? ChangeNumber = null);

/// <summary>PATCH /cis/{id}: only the fields present change; an empty text clears. Send If-Match with the ETag.</summary>
public sealed record UpdateCiBody(string? Name = null, string? Status = null, string? Environment = null, int? Criticality = null,
    string? OwnerGroup = null, string? SupportGroup = null, bool? Restricted = null, string? Redundancy = null,
    Dictionary<string, string?>? Attributes = null, string? Reason = null, string? ChangeNumber = null);

/// <summary>POST /relationships: "source &lt;type&gt; target" (GET /cmdb/relationship-types).</summary>
public sealed record LinkCisBody(long SourceId, string Type, long TargetId, string? Reason = null, string? ChangeNumber = null);

/// <summary>POST /impact: the CIs that are down or changing; depth 1–50 (default 20).</summary>
/// <summary>POST /impact. mostCriticalServices: list only that many business services, the most critical first (totalServices counts them all).</summary>
public sealed record ImpactBody(List<long> CiIds, int? Depth = null, DateTimeOffset? AsOf = null, int? Page = null, int? PageSize = null,
    int? MostCriticalServices = null);

/// <summary>
/// POST /changes. type: standard (with template), normal or emergency. Times in ISO 8601 with an offset. implementer: a
/// user id or user name (default: you). ciIds: the affected CIs. riskAnswers: question id → answer id of the risk questionnaire.
/// </summary>
public sealed record RaiseChangeBody(string Type, string? Template = null, string? ShortDescription = null, string? Description = null,
    int? Impact = null, int? Urgency = null, string? Category = null, string? Justification = null, string? ImplementationPlan = null,
    string? BackoutPlan = null, string? TestPlan = null, string? PlannedStart = null, string? PlannedEnd = null, string? Implementer = null,
    List<long>? CiIds = null, Dictionary<string, string?>? RiskAnswers = null);

/// <summary>PATCH /changes/{number}: only the fields present change; null clears. Editing the plan of a normal change in Authorize sends it back to New.</summary>
public sealed record UpdateChangeBody(string? ShortDescription = null, string? Description = null, int? Impact = null, int? Urgency = null,
    string? Category = null, Guid? AssignmentGroupId = null, string? AssigneeId = null, int? PriorityOverride = null, string? PriorityOverrideReason = null,
    string? Type = null, string? Template = null, string? Justification = null, string? ImplementationPlan = null, string? BackoutPlan = null,
    string? TestPlan = null, string? PlannedStart = null, string? PlannedEnd = null, string? Implementer = null, Dictionary<string, string?>? RiskAnswers = null);

/// <summary>POST /changes/{number}/approvals/{id}/decision: decision approve or reject; a rejection needs a comment.</summary>
public sealed record ApprovalDecisionBody(string Decision, string? Comment = null);

/// <summary>POST /changes/calendar/link: the personal ICS feed's address; shown once (only its hash is kept). DELETE revokes it.</summary>
public sealed record CalendarLinkBody(string Url);

/// <summary>POST /approvals/delegations: to (a user name) decides your approvals from starts (default now) until ends (at most 90 days).</summary>
public sealed record DelegationBody(string To, string Ends, string? Starts = null);

public sealed record CabMeetingPage(IReadOnlyList<Itsm.Application.Features.Changes.Cab.CabMeetingSummary> Items, int Total, int Page, int PageSize, int PageCount);

/// <summary>
/// POST /cab/meetings: the meeting's time and the period whose changes it reviews (ISO 8601 with an offset; the period's end is
/// exclusive). The agenda is every change awaiting the CAB with a planned start in the period, then changeNumbers not on it.
/// </summary>
public sealed record PlanCabMeetingBody(string Title, string StartsAt, string EndsAt, string PeriodFrom, string PeriodTo, List<string>? ChangeNumbers = null);

/// <summary>POST /cab/meetings/{id}/items/{changeNumber}/decision: approve, reject (with notes) or defer. Send If-Match with the meeting's ETag.</summary>
public sealed record CabDecisionBody(string Decision, string? Notes = null);

/// <summary>PUT /cab/meetings/{id}/minutes: the whole text; empty clears them.</summary>
public sealed record CabMinutesBody(string Minutes);

/// <summary>PUT /cab/meetings/{id}/agenda: every change on the agenda, once each, in the new order.</summary>
public sealed record CabAgendaBody(List<string> ChangeNumbers);

/// <summary>POST /cab/meetings/{id}/agenda: one more change awaiting the CAB, put at the end of the agenda. Send If-Match with the meeting's ETag.</summary>
public sealed record CabAgendaItemBody(string ChangeNumber);
