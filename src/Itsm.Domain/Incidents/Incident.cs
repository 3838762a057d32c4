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

    /// <summary>Makes this incident a child of a major (parent) incident: resolving the parent resolves it.</summary>
    public void LinkToParent(Incident? parent, Actor actor, DateTimeOffset now)
    {
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
