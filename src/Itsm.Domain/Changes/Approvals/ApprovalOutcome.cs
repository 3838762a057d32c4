namespace Itsm.Domain.Changes.Approvals;

/// <summary>Where a change's approval stands as a whole.</summary>
public enum ApprovalOutcomeState
{
    /// <summary>The round has no approval still in force (none asked yet, or all withdrawn).</summary>
    NotStarted,
    /// <summary>A stage still waits for approvals.</summary>
    Pending,
    /// <summary>Every stage met its rules.</summary>
    Approved,
    /// <summary>An approver rejected the change.</summary>
    Rejected,
}

/// <summary>The state of one round of a change's approvals, stage by stage and set by set.</summary>
/// <param name="CurrentStage">The first stage not yet met (while pending), or the rejected approval's stage.</param>
/// <param name="Rejection">The first rejection of the round, if any.</param>
public sealed record ApprovalOutcome(
    ApprovalOutcomeState State,
    int Round,
    int? CurrentStage,
    string? CurrentStageName,
    ChangeApproval? Rejection,
    IReadOnlyList<ApprovalSetProgress> Sets)
{
    /// <summary>Who rejected the change, for people: "Ann Smith" or "Bob Jones on behalf of Ann Smith".</summary>
    public string? RejectedBy => Rejection is null ? null
        : Rejection.OnBehalfOfName is null ? Rejection.DecidedByName
        : $"{Rejection.DecidedByName} on behalf of {Rejection.OnBehalfOfName}";
}

/// <summary>How far one approver set is: approvals given of the approvers still asked, and whether its rule is met.</summary>
public sealed record ApprovalSetProgress(int Stage, string StageName, string Key, string Label, ApprovalRule Rule, int Approved, int Total, bool IsMet)
{
    /// <summary>For people, e.g. "1 of 3 approved, 2 of 3 needed".</summary>
    public string Text => $"{Approved} of {Total} approved, {Rule.TextFor(Total)} needed";
}

/// <summary>What one step of the approval did: the outcome afterwards, approvals newly asked and approvals no longer needed.</summary>
public sealed record ApprovalStep(ApprovalOutcome Outcome, IReadOnlyList<ChangeApproval> Requested, IReadOnlyList<ChangeApproval> Canceled);

/// <summary>An approver's decision and what followed from it in the same call (the next stage asked, or the rest canceled).</summary>
public sealed record ApprovalDecisionResult(
    ChangeApproval Decision,
    ApprovalOutcome Outcome,
    IReadOnlyList<ChangeApproval> Requested,
    IReadOnlyList<ChangeApproval> Canceled);

/// <summary>
/// The approvals recomputed after the affected CIs or the graph changed: rows to add to the change, rows canceled,
/// waiting rows asked, the outcome afterwards and, for the history, one line per change.
/// </summary>
public sealed record ApprovalReconciliation(
    IReadOnlyList<ChangeApproval> Added,
    IReadOnlyList<ChangeApproval> Canceled,
    IReadOnlyList<ChangeApproval> Requested,
    ApprovalOutcome Outcome,
    IReadOnlyList<string> Summary);
