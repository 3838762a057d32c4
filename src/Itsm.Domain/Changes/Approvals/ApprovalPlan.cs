namespace Itsm.Domain.Changes.Approvals;

/// <summary>Who decides an approval: a group (any member decides for it) or one person.</summary>
public enum ApproverKind
{
    Group = 0,
    Person = 1,
}

/// <summary>
/// The approvals a change needs, as the policy drew them from the CMDB graph: ordered stages of approver sets.
/// No stages means no approval is needed (a pre-approved change). <see cref="Explanation"/> says, for people,
/// which decisions matched and why. <see cref="Blocker"/>, when set, says why nobody could decide a set (its fallback group
/// has only the change's own requester or implementer): the plan is shown, but approvals do not start on it.
/// </summary>
public sealed record ApprovalPlan(IReadOnlyList<PlannedStage> Stages, IReadOnlyList<string> Explanation, string? Blocker = null)
{
    public bool NeedsApproval => Stages.Count > 0;
}

/// <summary>A stage: every set in it must meet its rule before the next stage is asked.</summary>
public sealed record PlannedStage(int Order, string Name, IReadOnlyList<PlannedSet> Sets);

/// <summary>
/// Approvers drawn from one source. <see cref="Key"/> is stable across recomputations (<c>ci-owners</c>,
/// <c>service-owners</c>, <c>cab</c>, <c>ecab</c>, <c>group:&lt;name&gt;</c>, <c>person:&lt;username&gt;</c>),
/// so a new plan can be matched against the approvals already asked.
/// </summary>
public sealed record PlannedSet(string Key, string Label, ApprovalRule Rule, IReadOnlyList<PlannedApprover> Approvers);

/// <summary>
/// One approver: a group's id in "D" format or a person's user id; <see cref="Why"/> says why they are asked.
/// <see cref="FallbackFor"/> is set on the fallback group asked instead, and says what it stands in for.
/// </summary>
public sealed record PlannedApprover(ApproverKind Kind, string Id, string Name, string Why, string? FallbackFor = null);
