namespace Itsm.Domain.Changes.Risk;

/// <summary>
/// One rule of the risk model. The kinds are implemented here and named, with their weights, in
/// itil-processes/change-risk.yaml (<see cref="RiskRuleKinds"/>).
/// </summary>
public abstract class RiskRule
{
    /// <summary>The kind's name in the YAML, e.g. <c>impacted-services</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The points this rule gives the change with the reason, or null when it gives none.</summary>
    public abstract RiskReason? Evaluate(RiskFacts facts);

    protected RiskReason? Reason(int points, string text) => points > 0 ? new RiskReason(Kind, text, points) : null;

    protected static int Cap(int points, int? max) => max is { } m ? Math.Min(points, m) : points;
}

/// <summary>The names of the rule kinds, in the order the README lists them.</summary>
public static class RiskRuleKinds
{
    public const string ImpactedServices = "impacted-services";
    public const string BlastRadius = "blast-radius";
    public const string HighestCiCriticality = "highest-ci-criticality";
    public const string ChangeType = "change-type";
    public const string LeadTime = "lead-time";
    public const string OutsideMaintenanceWindow = "outside-maintenance-window";
    public const string Blackout = "blackout";
    public const string Conflicts = "conflicts";
    public const string FailedChanges = "failed-changes";
    public const string IncidentsCausedByChanges = "incidents-caused-by-changes";

    public static IReadOnlyList<string> All { get; } =
    [
        ImpactedServices, BlastRadius, HighestCiCriticality, ChangeType, LeadTime,
        OutsideMaintenanceWindow, Blackout, Conflicts, FailedChanges, IncidentsCausedByChanges,
    ];
}
