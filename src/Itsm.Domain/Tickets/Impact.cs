namespace Itsm.Domain.Tickets;

/// <summary>How widely the service is affected: 1 is the most.</summary>
public enum Impact { High = 1, Medium = 2, Low = 3 }
