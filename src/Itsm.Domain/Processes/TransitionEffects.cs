using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>The names of the ticket core's effects.</summary>
public static class TransitionEffects
{
    public const string RecordResolution = "record-resolution";
    public const string RecordHoldReason = "record-hold-reason";
    public const string RecordCancelReason = "record-cancel-reason";
    public const string Reopen = "reopen";

    public static IReadOnlyDictionary<string, TransitionEffect> All => ProcessVocabulary.Effects;
}
