using Itsm.Application.Features.Tickets;
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
