namespace Itsm.Domain.Changes.Scheduling;

/// <summary>The kinds of schedule conflict, in the order they are listed.</summary>
public enum ConflictKind
{
    /// <summary>Another change works on one of the plan's CIs at the same time.</summary>
    SameCi = 0,
    /// <summary>Another change works at the same time on a CI within the configured hops of one of the plan's CIs.</summary>
    RelatedCi = 1,
    /// <summary>The plan is not inside one occurrence of a CI's maintenance window.</summary>
    OutsideMaintenanceWindow = 2,
    /// <summary>The plan overlaps a blackout window that applies to it.</summary>
    Blackout = 3,
    /// <summary>The plan's implementer implements another change at the same time.</summary>
    ImplementerBusy = 4,
}

/// <summary>
/// One schedule conflict. <see cref="Text"/> names everything involved; <see cref="CiId"/> and <see cref="CiName"/> are
/// the plan's CI concerned (none for a global or service blackout, or a busy implementer), <see cref="OtherChangeNumber"/>
/// the other change or <see cref="WindowId"/> the window. <see cref="RelatedCiId"/> is, for <see cref="ConflictKind.RelatedCi"/>,
/// the CI the other change works on.
/// </summary>
public sealed record ChangeConflict(
    ConflictKind Kind,
    string Text,
    long? CiId,
    string? CiName,
    string? OtherChangeNumber,
    string? WindowId,
    long? RelatedCiId = null);
