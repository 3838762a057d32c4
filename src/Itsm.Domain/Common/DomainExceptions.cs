namespace Itsm.Domain.Common;

/// <summary>A business rule was broken by an otherwise well-formed request (maps to 409).</summary>
public class BusinessRuleException(string rule, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable name of the rule, e.g. <c>transition-not-allowed</c>.</summary>
    public string Rule { get; } = rule;
}

/// <summary>Input that is invalid field by field (maps to 400 with field errors).</summary>
public class FieldValidationException : Exception
{
    public FieldValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("One or more fields are invalid: " + string.Join(", ", errors.Keys))
        => Errors = errors;

    public FieldValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>The thing asked for does not exist or is not visible to the caller (maps to 404).</summary>
public class NotFoundException(string what) : Exception($"{what} was not found.");

/// <summary>The caller may not do this (maps to 403).</summary>
public class ForbiddenException(string message) : Exception(message);

/// <summary>Someone else changed the record since the caller read it (maps to 412 or 409).</summary>
public class ConcurrencyConflictException(string message) : Exception(message);
