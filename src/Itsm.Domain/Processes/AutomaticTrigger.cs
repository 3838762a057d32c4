namespace Itsm.Domain.Processes;

public enum AutomaticTrigger
{
    /// <summary>The caller adds a public comment.</summary>
    CallerComment,
    /// <summary>Time passes: the scheduler applies it once <c>AfterDays</c> have gone by in <c>From</c>.</summary>
    Timer,
    /// <summary>The problem the ticket is linked to was resolved with a fix applied.</summary>
    ProblemFixed,
    /// <summary>Every stage of the change's approval policy is met.</summary>
    ApprovalsGranted,
    /// <summary>An approver rejected the change.</summary>
    ApprovalRejected,
    /// <summary>The change's CIs, dates or plans were edited while they were frozen for approval.</summary>
    ChangeReplanned,
}
