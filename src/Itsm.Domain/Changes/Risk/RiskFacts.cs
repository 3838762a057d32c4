namespace Itsm.Domain.Changes.Risk;

/// <summary>
/// What the risk of a change is computed from, gathered by the application (impact analysis, schedule, history) so
/// that the rules themselves stay pure.
/// </summary>
public sealed record RiskFacts
{
    public required ChangeType Type { get; init; }

    /// <summary>The change's affected CIs.</summary>
    public IReadOnlyList<RiskCi> Cis { get; init; } = [];

    /// <summary>The business services in the blast radius (impact analysis of the affected CIs).</summary>
    public IReadOnlyList<RiskCi> ImpactedServices { get; init; } = [];

    /// <summary>How many CIs the blast radius holds in all.</summary>
    public int ImpactedCiCount { get; init; }

    /// <summary>Planned start minus now; null when no start is planned yet.</summary>
    public TimeSpan? LeadTime { get; init; }

    /// <summary>Affected CIs whose maintenance window the planned period is not within.</summary>
    public int CisOutsideMaintenanceWindow { get; init; }

    /// <summary>Blackout windows the planned period falls in.</summary>
    public int BlackoutCount { get; init; }

    /// <summary>Other conflicts: overlapping changes on the same CIs, an implementer busy elsewhere.</summary>
    public int ConflictCount { get; init; }

    /// <summary>Failed changes on the same CIs in the last 90 days.</summary>
    public int FailedChangesLast90Days { get; init; }

    /// <summary>Incidents caused by changes to the same CIs in the last 90 days.</summary>
    public int IncidentsCausedByChangesLast90Days { get; init; }

    /// <summary>Questionnaire answers: question id → answer id; may be empty.</summary>
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();
}

/// <summary>A CI as the risk rules see it: criticality 1 is the highest, 4 the lowest.</summary>
public sealed record RiskCi(long Id, string Name, string ClassCode, int Criticality);
