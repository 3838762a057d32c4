using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Problems;

/// <summary>
/// The cause of one or more incidents. Its root cause and workaround are recorded as they are found; once both are
/// known it may be published as a known error, which the service desk searches and applies to new incidents.
/// </summary>
public class Problem : Ticket
{
    public const int RootCauseMax = 8000;

    private Problem() { }

    public string? RootCause { get; private set; }
    public string? Workaround { get; private set; }
    public bool IsKnownError { get; private set; }
    public DateTimeOffset? KnownErrorAt { get; private set; }

    /// <summary>Logs a new problem in the process's initial state, its priority from the matrix.</summary>
    public static Problem Log(TicketNumber number, string shortDescription, string? description, Impact impact, Urgency urgency,
        string? categoryCode, Actor actor, ProcessDefinition process, DateTimeOffset now)
    {
        if (number.Kind != TicketKind.Problem) throw new ArgumentException("A problem needs a PRB number.", nameof(number));
        if (!actor.IsInRole(Roles.ProblemManager) && !actor.IsInRole(Roles.Admin) && !actor.IsInRole(Roles.Agent) && !actor.IsInRole(Roles.Engineer))
            throw new ForbiddenException("Problems are raised by the service desk, engineers and problem managers.");
        var problem = new Problem();
        // The person who raises a problem is its requester: problems have no caller of their own.
        problem.Open(TicketKind.Problem, number, shortDescription, description, impact, urgency, categoryCode,
            actor.UserId, actor.UserName, process, actor, now);
        return problem;
    }

    /// <summary>Records (or corrects) the root cause and the workaround. A published known error must keep both.</summary>
    public void RecordRootCause(string? rootCause, string? workaround, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureProblemManager(actor, "record a root cause");
        var cause = Clean(rootCause, "rootCause");
        var around = Clean(workaround, "workaround");
        if (IsKnownError && (cause is null || around is null))
            throw new BusinessRuleException("known-error-incomplete",
                $"{Number} is published as a known error: it needs a root cause and a workaround. Retract it first to clear them.");
        Set("rootCause", RootCause, cause, v => RootCause = v, actor, now);
        Set("workaround", Workaround, around, v => Workaround = v, actor, now);
    }

    /// <summary>Publishes the problem as a known error: the service desk then finds its workaround in the known-error list.</summary>
    public void PublishKnownError(Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureProblemManager(actor, "publish a known error");
        if (RootCause is null || Workaround is null)
            throw new BusinessRuleException("known-error-incomplete", $"{Number} needs a root cause and a workaround before it is published as a known error.");
        if (IsKnownError) return;
        Set("knownError", IsKnownError, true, v => IsKnownError = v, actor, now, v => v ? "Published" : "Not published");
        KnownErrorAt = now;
    }

    /// <summary>Withdraws the known error (the workaround no longer helps, or it was published too early).</summary>
    public void RetractKnownError(Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureProblemManager(actor, "retract a known error");
        if (!IsKnownError) return;
        Set("knownError", IsKnownError, false, v => IsKnownError = v, actor, now, v => v ? "Published" : "Not published");
        KnownErrorAt = null;
    }

    /// <summary>The effect <c>record-root-cause</c>: a transition that carries the root cause (and maybe a workaround).</summary>
    internal void RecordRootCauseFromTransition(string rootCause, string? workaround, Actor actor, DateTimeOffset now)
    {
        Set("rootCause", RootCause, rootCause, v => RootCause = v, actor, now);
        if (workaround is not null) Set("workaround", Workaround, workaround, v => Workaround = v, actor, now);
    }

    private static void EnsureProblemManager(Actor actor, string what)
    {
        if (!actor.IsInRole(Roles.ProblemManager) && !actor.IsInRole(Roles.Admin))
            throw new ForbiddenException($"Only problem managers {what}.");
    }

    private static string? Clean(string? text, string field)
    {
        var t = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (t is { Length: > RootCauseMax }) throw new FieldValidationException(field, $"At most {RootCauseMax} characters.");
        return t;
    }
}
