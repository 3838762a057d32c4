namespace Itsm.Domain.Processes;

/// <summary>The fields a transition may require or carry; a definition naming any other is invalid.</summary>
public static class TransitionFields
{
    public const string ResolutionCode = "resolutionCode";
    public const string ResolutionNotes = "resolutionNotes";
    public const string HoldReason = "holdReason";
    public const string CancelReason = "cancelReason";
    public const string ReopenReason = "reopenReason";

    public static readonly IReadOnlySet<string> Known =
        new HashSet<string> { ResolutionCode, ResolutionNotes, HoldReason, CancelReason, ReopenReason };
}
