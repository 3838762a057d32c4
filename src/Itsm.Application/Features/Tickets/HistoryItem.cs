namespace Itsm.Application.Features.Tickets;

public sealed record HistoryItem(DateTimeOffset At, string ActorName, string Field, string? OldValue, string? NewValue);
