using AutoMapper;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Problems;

public sealed class ProblemMappingProfile : Profile
{
    public ProblemMappingProfile()
    {
        CreateMap<Problem, TicketSummary>().IncludeBase<Ticket, TicketSummary>();
        CreateMap<Problem, ProblemDetails>()
            .IncludeBase<Ticket, TicketDetails>()
            .ForMember(d => d.Incidents, o => o.Ignore());
    }
}
