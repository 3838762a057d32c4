namespace Itsm.Domain.Changes.Scheduling;

/// <summary>A CI of the change being planned, with what its maintenance window is looked up by.</summary>
public sealed record PlanCi(long Id, string Name, string ClassCode);

/// <summary>
/// The change being planned or rescheduled: its proposed [<see cref="Start"/>, <see cref="End"/>), its CIs, the business
/// services it impacts (for service blackouts) and its implementer.
/// </summary>
public sealed record PlannedChange(
    Guid Id,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<PlanCi> Cis,
    IReadOnlyList<long> ImpactedServiceIds,
    string? ImplementerId);
