namespace Itsm.Domain.Common;

/// <summary>Someone else changed the record since the caller read it (maps to 412 or 409).</summary>
public class ConcurrencyConflictException(string message) : Exception(message);
