namespace Itsm.Domain.Changes.Risk;

/// <summary>
/// <c>impacted-services</c>: points for each business service in the blast radius, by its criticality
/// (a criticality not listed gives none), optionally capped.
/// </summary>
public sealed class ImpactedServicesRule(IReadOnlyDictionary<int, int> pointsByCriticality, int? max = null) : RiskRule
{
    public override string Kind => RiskRuleKinds.ImpactedServices;
    public IReadOnlyDictionary<int, int> PointsByCriticality { get; } = pointsByCriticality;
    public int? Max { get; } = max;

    public override RiskReason? Evaluate(RiskFacts facts)
    {
        // A service reached through several CIs is still one service.
        var services = facts.ImpactedServices.DistinctBy(s => s.Id).ToList();
        if (services.Count == 0) return null;
        var uncapped = services.Sum(s => PointsByCriticality.GetValueOrDefault(s.Criticality));
        var top = services.Min(s => s.Criticality);
        var mostCritical = services.Where(s => s.Criticality == top).Select(s => s.Name).ToList();
        var text = services.Count == 1
            ? $"1 business service impacted: {mostCritical[0]} (criticality {top})"
            : $"{services.Count} business services impacted, the most critical {RiskText.Names(mostCritical)} (criticality {top})";
        return Reason(Cap(uncapped, Max), text + RiskText.Capped(uncapped, Max));
    }
}

/// <summary>A step of a threshold table: from <see cref="AtLeast"/> on, <see cref="Points"/>.</summary>
public sealed record RiskThreshold(int AtLeast, int Points);

/// <summary><c>blast-radius</c>: points by the size of the whole blast radius; the highest threshold reached counts.</summary>
public sealed class BlastRadiusRule(IReadOnlyList<RiskThreshold> thresholds) : RiskRule
{
    public override string Kind => RiskRuleKinds.BlastRadius;
    public IReadOnlyList<RiskThreshold> Thresholds { get; } = thresholds.OrderBy(t => t.AtLeast).ToList();

    public override RiskReason? Evaluate(RiskFacts facts)
    {
        var reached = Thresholds.LastOrDefault(t => facts.ImpactedCiCount >= t.AtLeast);
        if (reached is null) return null;
        return Reason(reached.Points,
            $"impact analysis reaches {RiskText.Count(facts.ImpactedCiCount, "CI", "CIs")} ({reached.AtLeast} or more)");
    }
}

/// <summary><c>highest-ci-criticality</c>: points by the criticality of the most critical affected CI.</summary>
public sealed class HighestCiCriticalityRule(IReadOnlyDictionary<int, int> pointsByCriticality) : RiskRule
{
    public override string Kind => RiskRuleKinds.HighestCiCriticality;
    public IReadOnlyDictionary<int, int> PointsByCriticality { get; } = pointsByCriticality;

    public override RiskReason? Evaluate(RiskFacts facts)
    {
        var cis = facts.Cis.DistinctBy(c => c.Id).ToList();
        if (cis.Count == 0) return null;
        var top = cis.Min(c => c.Criticality);
        var names = cis.Where(c => c.Criticality == top).Select(c => c.Name).ToList();
        var text = names.Count == 1
            ? $"the most critical affected CI is {names[0]} (criticality {top})"
            : $"the most critical affected CIs are {RiskText.Names(names)} (criticality {top})";
        return Reason(PointsByCriticality.GetValueOrDefault(top), text);
    }
}

/// <summary><c>change-type</c>: points by the change type.</summary>
public sealed class ChangeTypeRule(IReadOnlyDictionary<ChangeType, int> pointsByType) : RiskRule
{
    public override string Kind => RiskRuleKinds.ChangeType;
    public IReadOnlyDictionary<ChangeType, int> PointsByType { get; } = pointsByType;

    public override RiskReason? Evaluate(RiskFacts facts) =>
        Reason(PointsByType.GetValueOrDefault(facts.Type), RiskText.Change(facts.Type));
}

/// <summary>
/// <c>lead-time</c>: <see cref="Points"/> when the planned start is closer than the hours its type needs
/// (a type not listed needs none; no planned start, nothing to judge).
/// </summary>
public sealed class LeadTimeRule(IReadOnlyDictionary<ChangeType, int> hoursByType, int points) : RiskRule
{
    public override string Kind => RiskRuleKinds.LeadTime;
    public IReadOnlyDictionary<ChangeType, int> HoursByType { get; } = hoursByType;
    public int Points { get; } = points;

    public override RiskReason? Evaluate(RiskFacts facts)
    {
        if (facts.LeadTime is not { } lead || !HoursByType.TryGetValue(facts.Type, out var hours)) return null;
        if (lead >= TimeSpan.FromHours(hours)) return null;
        var needs = $"{RiskText.Hours(hours)} lead time {RiskText.Change(facts.Type)} needs";
        var text = lead > TimeSpan.Zero
            ? $"planned start in {RiskText.Duration(lead)}, less than the {needs}"
            : $"planned start already past ({RiskText.Duration(-lead)} ago), less than the {needs}";
        return Reason(Points, text);
    }
}

/// <summary>
/// The rules that give points for each of something counted in the facts, optionally capped:
/// <c>outside-maintenance-window</c> (per CI), <c>blackout</c> (per window), <c>conflicts</c> (per conflict),
/// <c>failed-changes</c> and <c>incidents-caused-by-changes</c> (per one in the last 90 days).
/// </summary>
public sealed class PerItemRule : RiskRule
{
    public static IReadOnlyList<string> Kinds { get; } =
    [
        RiskRuleKinds.OutsideMaintenanceWindow, RiskRuleKinds.Blackout, RiskRuleKinds.Conflicts,
        RiskRuleKinds.FailedChanges, RiskRuleKinds.IncidentsCausedByChanges,
    ];

    public PerItemRule(string kind, int pointsEach, int? max = null)
    {
        if (!Kinds.Contains(kind)) throw new ArgumentException($"'{kind}' is not a per-item rule kind.", nameof(kind));
        Kind = kind;
        PointsEach = pointsEach;
        Max = max;
    }

    public override string Kind { get; }
    public int PointsEach { get; }
    public int? Max { get; }

    public override RiskReason? Evaluate(RiskFacts facts)
    {
        var (count, text) = Kind switch
        {
            RiskRuleKinds.OutsideMaintenanceWindow => (facts.CisOutsideMaintenanceWindow,
                $"planned outside the maintenance window of {RiskText.Count(facts.CisOutsideMaintenanceWindow, "CI", "CIs")}"),
            RiskRuleKinds.Blackout => (facts.BlackoutCount,
                $"planned in {RiskText.Count(facts.BlackoutCount, "blackout window", "blackout windows")}"),
            RiskRuleKinds.Conflicts => (facts.ConflictCount,
                $"{RiskText.Count(facts.ConflictCount, "scheduling conflict", "scheduling conflicts")} (overlapping changes, a busy implementer)"),
            RiskRuleKinds.FailedChanges => (facts.FailedChangesLast90Days,
                $"{RiskText.Count(facts.FailedChangesLast90Days, "failed change", "failed changes")} on the same CIs in the last 90 days"),
            _ => (facts.IncidentsCausedByChangesLast90Days,
                $"{RiskText.Count(facts.IncidentsCausedByChangesLast90Days, "incident", "incidents")} caused by changes to the same CIs in the last 90 days"),
        };
        if (count <= 0) return null;
        // Counts come from the outside world; a huge one must not wrap round to a small score.
        var uncapped = (int)Math.Min(int.MaxValue, (long)count * PointsEach);
        return Reason(Cap(uncapped, Max), text + RiskText.Capped(uncapped, Max));
    }
}
