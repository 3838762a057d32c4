namespace Itsm.Domain.Processes;

/// <summary>
/// A value a transition may carry (a resolution code, a hold reason, a root cause). Fields with <see cref="Choices"/>
/// take one of a closed list of the process; the others are free text of at most <see cref="MaxLength"/> characters.
/// </summary>
public sealed record TransitionField(string Name, string Label, int MaxLength = 8000, Func<ProcessDefinition, IReadOnlyList<Choice>>? Choices = null);

/// <summary>The names of the fields the ticket core's effects use; modules add their own (see <see cref="IProcessVocabulary"/>).</summary>
public static class TransitionFields
{
    public const string ResolutionCode = "resolutionCode";
    public const string ResolutionNotes = "resolutionNotes";
    public const string HoldReason = "holdReason";
    public const string CancelReason = "cancelReason";
    public const string ReopenReason = "reopenReason";

    /// <summary>Every field any module declares, by name.</summary>
    public static IReadOnlyDictionary<string, TransitionField> All => ProcessVocabulary.Fields;

    public static IReadOnlyCollection<string> Known => ProcessVocabulary.Fields.Keys.ToList();
}
