using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Problems;

/// <summary>What problem management adds to the process vocabulary: the root cause as a transition field and effect.</summary>
public sealed class ProblemVocabulary : IProcessVocabulary
{
    public const string RootCause = "rootCause";
    public const string Workaround = "workaround";
    public const string RecordRootCause = "record-root-cause";
    public const string RootCauseRecorded = "root-cause-recorded";
    /// <summary>The resolution code after which linked incidents on hold for the problem resume.</summary>
    public const string FixApplied = "fix-applied";

    public IEnumerable<Guard> Guards =>
    [
        new(RootCauseRecorded, "a root cause is recorded", c => c.Ticket is Problem { RootCause: not null }),
    ];

    public IEnumerable<TransitionField> Fields =>
    [
        new(RootCause, "Root cause", Problem.RootCauseMax),
        new(Workaround, "Workaround", Problem.RootCauseMax),
    ];

    public IEnumerable<TransitionEffect> Effects =>
    [
        new(RecordRootCause, "records the root cause (and a workaround, when given)", [RootCause], [Workaround], TicketKind.Problem,
            c => ((Problem)c.Ticket).RecordRootCauseFromTransition(c.Value(RootCause)!, c.Value(Workaround), c.Actor, c.Now)),
    ];
}
