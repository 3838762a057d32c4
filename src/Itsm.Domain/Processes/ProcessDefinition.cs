using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>Where in a definition file something was written, so errors can point at it.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A lifecycle state. Active states count as open work; final states allow no way out.</summary>
public sealed record StateDefinition(string Id, string Label, bool IsActive, bool IsFinal, SourceLocation Location);

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

public enum AutomaticTrigger
{
    /// <summary>The caller adds a public comment.</summary>
    CallerComment,
    /// <summary>Time passes: the scheduler applies it once <c>AfterDays</c> have gone by in <c>From</c>.</summary>
    Timer,
    /// <summary>The problem the ticket is linked to was resolved with a fix applied.</summary>
    ProblemFixed,
}

/// <summary>A transition the system makes by itself, on an event or after time.</summary>
public sealed record AutomaticTransitionDefinition(
    string Name,
    AutomaticTrigger Trigger,
    string From,
    string To,
    string? HoldReason,
    int? AfterDays,
    SourceLocation Location);

/// <summary>
/// A state the definition no longer has and the state its tickets move to at start-up (<c>state-renames</c>):
/// a rename, not a transition, so no roles, guards or fields apply.
/// </summary>
public sealed record StateRename(string From, string To, SourceLocation Location);

/// <summary>A value in a closed list of a process (hold reasons, resolution codes).</summary>
public sealed record Choice(string Id, string Label);

/// <summary>The lifecycle of one process, read from <c>itil-processes/</c>.</summary>
public sealed class ProcessDefinition
{
    public required string Name { get; init; }
    public required TicketKind Kind { get; init; }
    public required string File { get; init; }
    public required string InitialState { get; init; }
    /// <summary>Where the initial state was named, so an error about it can point there.</summary>
    public SourceLocation? InitialStateLocation { get; init; }
    public required IReadOnlyList<StateDefinition> States { get; init; }
    /// <summary>Where the states are listed, so an error about tickets in a state that is gone can point there.</summary>
    public SourceLocation? StatesLocation { get; init; }
    /// <summary>States that are gone, each mapped to the state its tickets move to.</summary>
    public IReadOnlyList<StateRename> StateRenames { get; init; } = [];
    public required IReadOnlyList<TransitionDefinition> Transitions { get; init; }
    public IReadOnlyList<AutomaticTransitionDefinition> AutomaticTransitions { get; init; } = [];
    public IReadOnlyList<Choice> HoldReasons { get; init; } = [];
    public IReadOnlyList<Choice> ResolutionCodes { get; init; } = [];
    /// <summary>How long after resolution the caller may reopen.</summary>
    public int ReopenWindowDays { get; init; } = 7;
    public PriorityMatrix PriorityMatrix { get; init; } = PriorityMatrix.Default;

    public StateDefinition State(string id) =>
        States.FirstOrDefault(s => s.Id == id) ?? throw new KeyNotFoundException($"The {Name} process has no state '{id}'.");

    public TransitionDefinition? Transition(string name) => Transitions.FirstOrDefault(t => t.Name == name);

    public IEnumerable<string> ActiveStates => States.Where(s => s.IsActive).Select(s => s.Id);
}
