namespace Itsm.Domain.Processes;

/// <summary>
/// A named move between states, allowed to some roles, behind named guards, needing some fields and carrying some
/// optional ones (no others), and doing what its named effects do besides changing the state.
/// </summary>
public sealed record TransitionDefinition(
    string Name,
    string Label,
    IReadOnlyList<string> From,
    string To,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Guards,
    IReadOnlyList<string> RequiredFields,
    SourceLocation Location)
{
    public IReadOnlyList<string> OptionalFields { get; init; } = [];
    public IReadOnlyList<string> Effects { get; init; } = [];

    /// <summary>Every field the transition takes: the required ones, then the optional ones.</summary>
    public IEnumerable<string> AcceptedFields => RequiredFields.Concat(OptionalFields);
}
