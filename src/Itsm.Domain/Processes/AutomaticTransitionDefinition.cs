namespace Itsm.Domain.Processes;

/// <summary>A transition the system makes by itself, on an event or after time.</summary>
public sealed record AutomaticTransitionDefinition(
    string Name,
    AutomaticTrigger Trigger,
    string From,
    string To,
    string? HoldReason,
    int? AfterDays,
    SourceLocation Location);
