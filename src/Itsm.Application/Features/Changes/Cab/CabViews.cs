using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Identity;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>Who may do what with CAB meetings (the requests' role lists; the domain checks the same).</summary>
public static class CabAccess
{
    /// <summary>Every fulfiller reads the meetings; requesters see nothing of change management.</summary>
    public static readonly string[] Readers = [Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin];

    public static string StateId(CabMeetingState state) => state switch
    {
        CabMeetingState.InProgress => "in-progress",
        CabMeetingState.Closed => "closed",
        _ => "planned",
    };

    public static string StateLabel(CabMeetingState state) => state switch
    {
        CabMeetingState.InProgress => "In progress",
        CabMeetingState.Closed => "Closed",
        _ => "Planned",
    };

    public static CabMeetingState? ParseState(string? id) => id?.Trim().ToLowerInvariant() switch
    {
        "planned" => CabMeetingState.Planned,
        "in-progress" => CabMeetingState.InProgress,
        "closed" => CabMeetingState.Closed,
        _ => null,
    };
}

/// <summary>A meeting in the list: when, what period, how far its agenda is decided.</summary>
public sealed record CabMeetingSummary(
    Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo,
    string State, string StateLabel, int ItemCount, int DecidedCount, string CreatedByName, int Version);

/// <summary>
/// The CAB workbench's meeting: its agenda in order, each change with its risk, conflicts, blast radius, approvals and
/// earlier decisions (computed now), the minutes, the audit, and what the caller may do.
/// </summary>
public sealed record CabMeetingView(
    Guid Id, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, DateTimeOffset PeriodFrom, DateTimeOffset PeriodTo,
    string State, string StateLabel, string? Minutes, string CreatedByName, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? ClosedAt, int Version, IReadOnlyList<CabAgendaItemView> Agenda, IReadOnlyList<CabLogView> Log, CabMeetingRights Rights);

/// <summary>
/// What the caller may do now: run the meeting (plan, reorder, start, close, minutes), record decisions, and add a change
/// awaiting the CAB to the agenda or take an undecided one off it (<see cref="MayEditAgenda"/>; each item says whether it may go).
/// </summary>
public sealed record CabMeetingRights(bool MayRun, bool MayStart, bool MayClose, bool MayWriteMinutes, bool MayReorder, bool MayDecide,
    bool MayEditAgenda);

/// <summary>One change on the agenda as the board reviews it.</summary>
/// <param name="MayDecide">The caller may record the board's decision on it now (the meeting sits and it is not their own change).</param>
/// <param name="HasCabApproval">The caller has a requested CAB approval of the change: their decision is recorded as that approval too.</param>
/// <param name="MayRemove">The caller may take it off the agenda now (they run the open meeting and the board has not decided on it).</param>
public sealed record CabAgendaItemView(
    int Order, string ChangeNumber, string ShortDescription, string ChangeType, string ChangeState, string ChangeStateLabel,
    DateTimeOffset? PlannedStart, DateTimeOffset? PlannedEnd, string RequesterName, string? ImplementerName,
    RiskView Risk, IReadOnlyList<ConflictView> Conflicts, CabBlastRadiusView BlastRadius, CabApprovalProgressView Approvals,
    CabItemDecisionView Decision, IReadOnlyList<CabEarlierDecisionView> EarlierDecisions, bool MayDecide, bool HasCabApproval, bool MayRemove);

/// <summary>A CI of the blast radius the caller may see.</summary>
public sealed record CabCiView(long Id, string Name, string ClassCode, int Criticality);

/// <summary>
/// How far the change reaches on the graph: its affected CIs and the business services impacted (those the caller may
/// see, and how many others there are), and how many CIs are impacted in all.
/// </summary>
public sealed record CabBlastRadiusView(
    IReadOnlyList<CabCiView> AffectedCis, int HiddenAffectedCis, IReadOnlyList<CabCiView> ImpactedServices, int HiddenImpactedServices,
    int ImpactedServiceCount, int ImpactedCiCount);

/// <summary>The latest round of the change's approvals: its state (none, not-started, pending, approved, rejected) and its sets.</summary>
public sealed record CabApprovalProgressView(string State, int Round, string? CurrentStageName, string? RejectedBy, IReadOnlyList<ApprovalSetView> Sets);

public sealed record CabItemDecisionView(string Decision, string Label, string? Notes, string? DecidedByName, DateTimeOffset? DecidedAt);

/// <summary>
/// An earlier decision about the change: its item in an earlier CAB meeting (<see cref="Source"/> <c>cab-meeting</c>, with the
/// meeting) or an approval decided (<c>approval</c>, with the approver and set).
/// </summary>
public sealed record CabEarlierDecisionView(
    string Source, string Decision, string Label, string? Notes, string? DecidedByName, DateTimeOffset? DecidedAt, string What,
    Guid? MeetingId, int? Round);

public sealed record CabLogView(DateTimeOffset At, string ActorName, string Text);

/// <summary>
/// What recording a decision did: the board's decision on the item, whether the caller's CAB approval was decided with
/// it, where the change's approvals and the change stand now, and <see cref="Summary"/> saying so for people.
/// </summary>
public sealed record CabDecisionResult(
    Guid MeetingId, string ChangeNumber, string Decision, bool Changed, bool Redecided, string? ApprovalDecision, string ApprovalState,
    string ChangeState, string ChangeStateLabel, string Summary, int Version);
