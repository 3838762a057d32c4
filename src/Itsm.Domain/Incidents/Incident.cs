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

    /// <summary>
    /// Resolves this child with its major incident's resolution. The system does it on the parent's behalf,
    /// so the child's own guards (e.g. an assignee) do not apply. Children already past resolution are left alone.
    /// </summary>
    public bool ResolveWithParent(Incident parent, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        if (ParentIncidentId != parent.Id) throw new ArgumentException($"{Number} is not a child of {parent.Number}.", nameof(parent));
        var resolve = process.Transitions.FirstOrDefault(t =>
            t.RequiredFields.Contains(TransitionFields.ResolutionCode) && t.From.Contains(State));
        if (resolve is null || parent.ResolutionCode is null) return false;
        Enter(process, resolve.To, new Dictionary<string, string?>
        {
            [TransitionFields.ResolutionCode] = parent.ResolutionCode,
            [TransitionFields.ResolutionNotes] = $"Resolved with major incident {parent.Number}: {parent.ResolutionNotes}",
        }, actor, now);
        return true;
    }

    /// <summary>Makes this incident a child of a major (parent) incident: resolving the parent resolves it.</summary>
    public void LinkToParent(Incident? parent, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (parent is not null)
        {
            if (parent.Id == Id) throw new BusinessRuleException("parent-self", "An incident cannot be its own parent.");
            if (parent.ParentIncidentId is not null)
                throw new BusinessRuleException("parent-nested", $"{parent.Number} is itself a child of {parent.ParentIncidentNumber}; link to that one instead.");
            if (parent.ClosedAt is not null)
                throw new BusinessRuleException("parent-closed", $"{parent.Number} is closed.");
        }
        if (ParentIncidentId == parent?.Id) return;
        Record("parentIncident", ParentIncidentNumber, parent?.Number, actor, now);
        ParentIncidentId = parent?.Id;
        ParentIncidentNumber = parent?.Number;
    }
}
