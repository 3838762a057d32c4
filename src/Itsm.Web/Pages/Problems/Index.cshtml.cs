using Itsm.Application.Common;
using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Problems;

/// <summary>The problem queues: the same queues, filters, sorting and paging as the incident queues.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : TicketQueuePageModel(mediator, processes, user)
{
    public override TicketKind Kind => TicketKind.Problem;
    public override string ListPage => "/Problems/Index";
    public override string DetailsPage => "/Problems/Details";
    public override string Noun => "problems";
    public override string? CreatePage => "/Problems/Create";
    public override string CreateLabel => "Raise a problem";
    public override bool MayCreate => PageRoles.MaySend<LogProblem>(Actor);

    protected override ListTickets NewQuery() => new ListProblems();
    protected override Task<Page<TicketSummary>> SendAsync(ListTickets query) => Mediator.Send((ListProblems)query);
}
