namespace Itsm.Domain.Tickets;

/// <summary>How soon the business needs it back: 1 is the most urgent.</summary>
public enum Urgency { High = 1, Medium = 2, Low = 3 }
