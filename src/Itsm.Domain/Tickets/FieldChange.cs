namespace Itsm.Domain.Tickets;

/// <summary>One field's change within a <see cref="TicketChange"/>: field, old → new.</summary>
public sealed record FieldChange(string Field, string? OldValue, string? NewValue);
