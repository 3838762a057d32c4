namespace Itsm.Domain.Processes;

public enum AutomaticTrigger
{
    /// <summary>The caller adds a public comment.</summary>
    CallerComment,
    /// <summary>Time passes: the scheduler applies it once <c>AfterDays</c> have gone by in <c>From</c>.</summary>
    Timer,
    /// <summary>The problem the ticket is linked to was resolved with a fix applied.</summary>
    ProblemFixed,
}
