using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>The problem queue: the same filters, sorting and paging as every ticket queue.</summary>
[AuthorizeRoles]
public sealed record ListProblems : ListTickets, IRequest<Page<TicketSummary>>;

public sealed class ListProblemsValidator(IProcessCatalog processes) : IRequestValidator<ListProblems>
{
    public IEnumerable<(string, string)> Validate(ListProblems r) => r.ValidateCommon(processes.For(TicketKind.Problem));
}

public sealed class ListProblemsHandler(IItsmDbContext db, TicketQueue queue) : IRequestHandler<ListProblems, Page<TicketSummary>>
{
    public Task<Page<TicketSummary>> Handle(ListProblems r, CancellationToken ct) => queue.PageAsync(db.Problems, TicketKind.Problem, r, ct);
}
