using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Incidents;

/// <summary>An unplanned interruption or degradation of a service. A major incident may have child incidents.</summary>
public class Incident : Ticket
{
    private Incident() { }

    public Guid? ParentIncidentId { get; private set; }
    public string? ParentIncidentNumber { get; private set; }

    /// <summary>Logs a new incident in the process's initial state, its priority from the matrix.</summary>
    public static Incident Log(TicketNumber number, string shortDescription, string? description, Impact impact, Urgency urgency,
        string? categoryCode, string requesterId, string requesterName, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        if (number.Kind != TicketKind.Incident) throw new ArgumentException("An incident needs an INC number.", nameof(number));
        var incident = new Incident();
        incident.Open(TicketKind.Incident, number, shortDescription, description, impact, urgency, categoryCode,
            requesterId, requesterName, process, actor, now);
        return incident;
    }

    public Guid? ProblemId { get; private set; }
    public string? ProblemNumber { get; private set; }

    /// <summary>
    /// Resolves this child with its major incident's resolution. The system does it on the parent's behalf,
    /// so the child's own guards (e.g. an assignee) do not apply. Children already past resolution are left alone.
    /// </summary>
    public TransitionOutcome? ResolveWithParent(Incident parent, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        if (ParentIncidentId != parent.Id) throw new ArgumentException($"{Number} is not a child of {parent.Number}.", nameof(parent));
        if (parent.ResolutionCode is null) return null;
        return ResolveOnBehalf(process, parent.ResolutionCode, $"Resolved with major incident {parent.Number}: {parent.ResolutionNotes}", actor, now);
    }

    /// <summary>
    /// Resolves this incident because the problem behind it was fixed: the service desk does it for all linked
    /// incidents in one step, so each one's own guards (an assignee) do not apply.
    /// </summary>
    public TransitionOutcome? ResolveWithProblem(Problems.Problem problem, string resolutionCode, string? notes, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        if (ProblemId != problem.Id) throw new ArgumentException($"{Number} is not linked to {problem.Number}.", nameof(problem));
        return ResolveOnBehalf(process, resolutionCode, notes ?? $"Resolved by the fix of problem {problem.Number}.", actor, now);
    }

    /// <summary>Runs the process's resolving transition (the one that records a resolution) from the current state, if there is one.</summary>
    private TransitionOutcome? ResolveOnBehalf(ProcessDefinition process, string code, string notes, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        var resolve = process.Transitions.FirstOrDefault(t => t.Effects.Contains(TransitionEffects.RecordResolution) && t.From.Contains(State));
        if (resolve is null) return null;
        // The notes quote the parent's or problem's own: cut them to fit rather than refuse the caller for text they did not type.
        var max = TransitionFields.All[TransitionFields.ResolutionNotes].MaxLength;
        return Enter(process, resolve.Name, resolve.To, resolve.Effects, new Dictionary<string, string?>
        {
            [TransitionFields.ResolutionCode] = code,
            [TransitionFields.ResolutionNotes] = notes.Length <= max ? notes : notes[..(max - 1)] + "…",
        }, actor, now);
    }

    /// <summary>Links this incident to the problem behind it (many incidents, one problem), or unlinks it with null.</summary>
    public void LinkToProblem(Problems.Problem? problem, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (ProblemId == problem?.Id) return;
        if (problem is { ClosedAt: not null })
            throw new BusinessRuleException("problem-closed", $"{problem.Number} is closed; link the incident to an open problem.");
        Record("problem", ProblemNumber, problem?.Number, actor, now);
        ProblemId = problem?.Id;
        ProblemNumber = problem?.Number;
    }

    /// <summary>The change that caused this incident (found in its diagnosis or review); it counts against the change's CIs.</summary>
    public Guid? CausedByChangeId { get; private set; }
    public string? CausedByChangeNumber { get; private set; }

    /// <summary>Attributes this incident to the change that caused it, or clears the attribution with null.</summary>
    public void AttributeToChange(Changes.Change? change, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (CausedByChangeId == change?.Id) return;
        if (change is { WasImplemented: false })
            throw new BusinessRuleException("change-not-implemented",
                $"{change.Number} has not been implemented (it is {change.State}); only a change that was implemented can cause an incident.");
        Record("causedByChange", CausedByChangeNumber, change?.Number, actor, now);
        CausedByChangeId = change?.Id;
        CausedByChangeNumber = change?.Number;
    }

    /// <summary>Makes this incident a child of a major (parent) incident: resolving the parent resolves it.</summary>
    public void LinkToParent(Incident? parent, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (ParentIncidentId == parent?.Id) return; // unchanged: a closed parent stays linked, and an edit may say so again
        if (parent is not null)
        {
            if (parent.Id == Id) throw new BusinessRuleException("parent-self", "An incident cannot be its own parent.");
            if (parent.ParentIncidentId is not null)
                throw new BusinessRuleException("parent-nested", $"{parent.Number} is itself a child of {parent.ParentIncidentNumber}; link to that one instead.");
            if (parent.ClosedAt is not null)
                throw new BusinessRuleException("parent-closed", $"{parent.Number} is closed.");
        }
        Record("parentIncident", ParentIncidentNumber, parent?.Number, actor, now);
        ParentIncidentId = parent?.Id;
        ParentIncidentNumber = parent?.Number;
    }
}
