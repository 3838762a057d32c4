using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Approvals;

/// <summary>Where one approval of a change stands.</summary>
public enum ApprovalState
{
    /// <summary>Its stage has not been reached yet.</summary>
    Waiting = 0,
    /// <summary>Asked; the approver may decide.</summary>
    Requested = 1,
    Approved = 2,
    Rejected = 3,
    /// <summary>No longer needed; <see cref="ChangeApproval.CanceledReason"/> says why.</summary>
    Canceled = 4,
}

/// <summary>
/// One approver's approval of a change, in one stage and set of the plan, with its audit: who decided, when,
/// on whose behalf and with what comment. Created and moved only by <see cref="ChangeApprovals"/>.
/// </summary>
public class ChangeApproval
{
    public const int CommentMax = 2000;

    private ChangeApproval() { }

    internal ChangeApproval(Guid changeId, int round, PlannedStage stage, PlannedSet set, PlannedApprover approver, string why, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        ChangeId = changeId;
        Round = round;
        Stage = stage.Order;
        StageName = stage.Name;
        SetKey = set.Key;
        SetLabel = set.Label;
        Rule = set.Rule.ToString();
        Kind = approver.Kind;
        ApproverId = approver.Id;
        ApproverName = approver.Name;
        Why = why;
        State = ApprovalState.Waiting;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid ChangeId { get; private set; }
    public int Stage { get; private set; }
    public string StageName { get; private set; } = "";
    public string SetKey { get; private set; } = "";
    public string SetLabel { get; private set; } = "";

    /// <summary>The set's rule in its persisted form (<see cref="ApprovalRule.Parse"/>).</summary>
    public string Rule { get; private set; } = "";

    public ApproverKind Kind { get; private set; }

    /// <summary>The group's id ("D" format) or the person's user id.</summary>
    public string ApproverId { get; private set; } = "";
    public string ApproverName { get; private set; } = "";

    /// <summary>Why this approver is asked, e.g. "owns db-payroll-01, app-payroll".</summary>
    public string Why { get; private set; } = "";
    public ApprovalState State { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RequestedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? DecidedById { get; private set; }
    public string? DecidedByName { get; private set; }

    /// <summary>The approver a delegate (or a group's member's delegate) decided for.</summary>
    public string? OnBehalfOfId { get; private set; }
    public string? OnBehalfOfName { get; private set; }
    public string? Comment { get; private set; }
    public string? CanceledReason { get; private set; }

    /// <summary>Which run of the policy the approval belongs to; bumped each time the policy starts again (after rework).</summary>
    public int Round { get; private set; }

    public bool IsDecided => State is ApprovalState.Approved or ApprovalState.Rejected;
    public bool IsPending => State is ApprovalState.Waiting or ApprovalState.Requested;

    public ApprovalRule ParsedRule => ApprovalRule.Parse(Rule);

    internal void Request(DateTimeOffset now)
    {
        if (State != ApprovalState.Waiting) return;
        State = ApprovalState.Requested;
        RequestedAt = now;
    }

    internal void Decide(bool approve, string? comment, string byId, string byName, string? onBehalfOfId, string? onBehalfOfName, DateTimeOffset now)
    {
        if (comment is { Length: > CommentMax })
            throw new FieldValidationException("comment", $"The comment may have at most {CommentMax} characters.");
        State = approve ? ApprovalState.Approved : ApprovalState.Rejected;
        DecidedAt = now;
        DecidedById = byId;
        DecidedByName = byName;
        OnBehalfOfId = onBehalfOfId;
        OnBehalfOfName = onBehalfOfName;
        Comment = comment;
    }

    internal void Cancel(string reason, DateTimeOffset now)
    {
        if (!IsPending) return;
        State = ApprovalState.Canceled;
        CanceledReason = reason;
    }
}
