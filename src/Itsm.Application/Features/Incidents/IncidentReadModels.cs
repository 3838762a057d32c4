using AutoMapper;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Incidents;

/// <summary>An incident as its page and the API show it: the ticket core's fields and the incident's own.</summary>
public sealed class IncidentDetails : TicketDetails
{
    public string? ParentIncidentNumber { get; set; }
    public IReadOnlyList<string> ChildIncidentNumbers { get; set; } = [];
    /// <summary>The problem behind it (null for requesters, who do not see problems), with its workaround when it is a known error.</summary>
    public LinkedProblem? Problem { get; set; }
}

/// <summary>The problem an incident is linked to, as the incident's page shows it.</summary>
public sealed record LinkedProblem(string Number, string ShortDescription, string State, string StateLabel, bool IsKnownError, string? Workaround);

public sealed class IncidentMappingProfile : Profile
{
    public IncidentMappingProfile()
    {
        CreateMap<Ticket, TicketSummary>()
            .ForMember(d => d.StateLabel, o => o.Ignore());
        CreateMap<Incident, TicketSummary>().IncludeBase<Ticket, TicketSummary>();
        CreateMap<Ticket, TicketDetails>()
            .ForMember(d => d.StateLabel, o => o.Ignore())
            .ForMember(d => d.IsActive, o => o.Ignore());
        CreateMap<Incident, IncidentDetails>()
            .IncludeBase<Ticket, TicketDetails>()
            .ForMember(d => d.ChildIncidentNumbers, o => o.Ignore())
            .ForMember(d => d.Problem, o => o.Ignore());
    }
}
