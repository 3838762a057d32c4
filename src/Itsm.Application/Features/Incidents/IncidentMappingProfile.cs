using AutoMapper;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Incidents;

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
