namespace Itsm.Domain.Tickets;

/// <summary>P1 Critical … P4 Low, derived from impact × urgency through the process's matrix.</summary>
public enum Priority { Critical = 1, High = 2, Moderate = 3, Low = 4 }
