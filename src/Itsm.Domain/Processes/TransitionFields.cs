namespace Itsm.Domain.Processes;

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
