namespace Itsm.Domain.Common;

/// <summary>A business rule was broken by an otherwise well-formed request (maps to 409).</summary>
public class BusinessRuleException(string rule, string message) : Exception(message)
{
    /// <summary>A stable, machine-readable name of the rule, e.g. <c>transition-not-allowed</c>.</summary>
    public string Rule { get; } = rule;
}
