using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

/// <summary>The change queue: the same filters, sorting and paging as every ticket queue.</summary>
[AuthorizeRoles]
public sealed record ListChanges : ListTickets, IRequest<Page<TicketSummary>>;

public sealed class ListChangesValidator(IProcessCatalog processes) : IRequestValidator<ListChanges>
{
    public IEnumerable<(string, string)> Validate(ListChanges r) => r.ValidateCommon(processes.For(TicketKind.Change));
}

public sealed class ListChangesHandler(IItsmDbContext db, TicketQueue queue) : IRequestHandler<ListChanges, Page<TicketSummary>>
{
    public Task<Page<TicketSummary>> Handle(ListChanges r, CancellationToken ct) => queue.PageAsync(db.Changes, TicketKind.Change, r, ct);
}
