namespace Itsm.Domain.Processes;

/// <summary>
/// A value a transition may carry (a resolution code, a hold reason, a root cause). Fields with <see cref="Choices"/>
/// take one of a closed list of the process; the others are free text of at most <see cref="MaxLength"/> characters.
/// </summary>
public sealed record TransitionField(string Name, string Label, int MaxLength = 8000, Func<ProcessDefinition, IReadOnlyList<Choice>>? Choices = null);
