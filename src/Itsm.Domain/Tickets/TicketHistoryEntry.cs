namespace Itsm.Domain.Tickets;

/// <summary>One field change as the audit shows it: who, when, field, old → new.</summary>
public sealed record TicketHistoryEntry(string Field, string? OldValue, string? NewValue, string ActorId, string ActorName, DateTimeOffset At);
