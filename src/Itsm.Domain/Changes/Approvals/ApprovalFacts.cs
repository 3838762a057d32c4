namespace Itsm.Domain.Changes.Approvals;

/// <summary>What the approval policy looks at: the change's type and risk, its affected CIs and the business services they impact.</summary>
public sealed record ApprovalFacts
{
    public ChangeType Type { get; init; }
    public RiskLevel Risk { get; init; }

    /// <summary>The CIs the change touches.</summary>
    public IReadOnlyList<ApprovalCi> Cis { get; init; } = [];

    /// <summary>The business services the CMDB graph says the affected CIs impact.</summary>
    public IReadOnlyList<ApprovalCi> ImpactedServices { get; init; } = [];

    /// <summary>Who requested the change: never asked as a person, since nobody approves their own change.</summary>
    public string? RequesterId { get; init; }

    /// <summary>Who implements the change: never asked as a person either.</summary>
    public string? ImplementerId { get; init; }

    public bool IsOwnChange(string userId) => userId == RequesterId || userId == ImplementerId;
}

/// <summary>A CI as the policy sees it. Criticality 1 is the most critical; the owner group approves changes to it.</summary>
public sealed record ApprovalCi(long Id, string Name, string ClassCode, int Criticality, Guid? OwnerGroupId);
