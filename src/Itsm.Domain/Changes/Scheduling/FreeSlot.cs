namespace Itsm.Domain.Changes.Scheduling;

/// <summary>A proposed time for a change: free of every kind of conflict.</summary>
public sealed record FreeSlot(DateTimeOffset Start, DateTimeOffset End);
