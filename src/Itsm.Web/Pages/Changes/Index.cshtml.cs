using Itsm.Application.Common;
using Itsm.Application.Features.Changes;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Changes;

/// <summary>The change queues: the same queues, filters, sorting and paging as every ticket queue. Requesters never see changes.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user)
    : TicketQueuePageModel<ListChanges>(TicketPages.Changes, mediator, processes, user)
{
    public override bool MayCreate => PageRoles.MaySend<RaiseChange>(Actor);
}
