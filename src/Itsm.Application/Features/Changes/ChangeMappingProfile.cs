using AutoMapper;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Changes;

public sealed class ChangeMappingProfile : Profile
{
    public ChangeMappingProfile()
    {
        CreateMap<Change, TicketSummary>().IncludeBase<Ticket, TicketSummary>();
        CreateMap<Change, ChangeDetails>()
            .IncludeBase<Ticket, TicketDetails>()
            .ForMember(d => d.Type, o => o.MapFrom(c => Change.TypeId(c.Type)))
            .ForMember(d => d.Risk, o => o.MapFrom(c => c.Risk == null ? null : c.Risk.Value.Id()))
            .ForMember(d => d.RiskLabel, o => o.MapFrom(c => c.Risk == null ? null : c.Risk.Value.Label()))
            .ForMember(d => d.Missing, o => o.MapFrom(c => c.MissingForSubmission()))
            .ForMember(d => d.IsFrozen, o => o.MapFrom(c => c.Type == ChangeType.Normal && c.State == Change.AuthorizeState))
            .ForMember(d => d.CausedIncidents, o => o.Ignore());
    }
}
