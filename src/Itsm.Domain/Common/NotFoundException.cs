namespace Itsm.Domain.Common;

/// <summary>The thing asked for does not exist or is not visible to the caller (maps to 404).</summary>
public class NotFoundException(string what) : Exception($"{what} was not found.");
