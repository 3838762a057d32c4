using Itsm.Application.Common;
using Itsm.Application.Features.Problems;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Problems;

/// <summary>The problem queues: the same queues, filters, sorting and paging as the incident queues.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user)
    : TicketQueuePageModel<ListProblems>(TicketPages.Problems, mediator, processes, user)
{
    public override bool MayCreate => PageRoles.MaySend<LogProblem>(Actor);
}
