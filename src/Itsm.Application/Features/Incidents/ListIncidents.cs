using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Incidents;

/// <summary>The agent queues and "my tickets": filters, sorting and paging with the total.</summary>
[AuthorizeRoles]
public sealed record ListIncidents : ListTickets, IRequest<Page<TicketSummary>>;

public sealed class ListIncidentsValidator(IProcessCatalog processes) : IRequestValidator<ListIncidents>
{
    public IEnumerable<(string, string)> Validate(ListIncidents r) => r.ValidateCommon(processes.For(TicketKind.Incident));
}

public sealed class ListIncidentsHandler(IItsmDbContext db, TicketQueue queue) : IRequestHandler<ListIncidents, Page<TicketSummary>>
{
    public Task<Page<TicketSummary>> Handle(ListIncidents r, CancellationToken ct) => queue.PageAsync(db.Incidents, TicketKind.Incident, r, ct);
}
