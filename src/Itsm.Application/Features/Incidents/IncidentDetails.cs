using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Incidents;

/// <summary>An incident as its page and the API show it: the ticket core's fields and the incident's own.</summary>
public sealed class IncidentDetails : TicketDetails
{
    public string? ParentIncidentNumber { get; set; }
    public IReadOnlyList<string> ChildIncidentNumbers { get; set; } = [];
    /// <summary>The problem behind it (null for requesters, who do not see problems), with its workaround when it is a known error.</summary>
    public LinkedProblem? Problem { get; set; }
    /// <summary>The change that caused it (null for requesters, who do not see changes).</summary>
    public string? CausedByChangeNumber { get; set; }
}
