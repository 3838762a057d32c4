using AutoMapper;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Problems;

/// <summary>A problem as its page and the API show it: the ticket core's fields, root cause, workaround, linked incidents.</summary>
public sealed class ProblemDetails : TicketDetails
{
    public string? RootCause { get; set; }
    public string? Workaround { get; set; }
    public bool IsKnownError { get; set; }
    public DateTimeOffset? KnownErrorAt { get; set; }
    public IReadOnlyList<LinkedIncident> Incidents { get; set; } = [];
}

/// <summary>An incident linked to a problem, as the problem's page lists it.</summary>
public sealed record LinkedIncident(string Number, string ShortDescription, string State, string StateLabel, bool IsActive, string? HoldReason);

/// <summary>A published known error: what the service desk searches when a familiar fault comes in.</summary>
public sealed record KnownErrorItem(string Number, string ShortDescription, string RootCause, string Workaround, string State, string StateLabel,
    DateTimeOffset PublishedAt, int LinkedIncidents);

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
