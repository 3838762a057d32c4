namespace Itsm.Domain.Common;

/// <summary>The caller may not do this (maps to 403).</summary>
public class ForbiddenException(string message) : Exception(message);
