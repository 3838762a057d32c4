using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

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
