namespace Itsm.Domain.Common;

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
