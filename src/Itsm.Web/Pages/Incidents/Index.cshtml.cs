using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Incidents;

/// <summary>The agent workspace: queues of incidents with filters, sortable columns and paging (a GET form, no script).</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user)
    : TicketQueuePageModel<ListIncidents>(TicketPages.Incidents, mediator, processes, user);
