namespace Itsm.Domain.Changes;

/// <summary>
/// What a change will do and when: the fields that are frozen while a normal change is being approved (with its CIs).
/// Null texts are blank; the planned window is half-open, [start, end).
/// </summary>
public sealed record ChangePlan
{
    public string? Justification { get; init; }
    public string? ImplementationPlan { get; init; }
    public string? BackoutPlan { get; init; }
    public string? TestPlan { get; init; }
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public string? ImplementerId { get; init; }
    public string? ImplementerName { get; init; }
}
