using Itsm.Application.Common;
using Itsm.Application.Features.Changes;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Changes;

/// <summary>The change queues: the same queues, filters, sorting and paging as every ticket queue. Requesters never see changes.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user)
    : TicketQueuePageModel<ListChanges>(TicketPages.Changes, mediator, processes, user)
{
    public override bool MayCreate => PageRoles.MaySend<RaiseChange>(Actor);

    /// <summary>The calendar for everyone here; the unauthorised CMDB writes for those who follow them up.</summary>
    public override IReadOnlyList<(string Label, string Href)> RelatedLinks
    {
        get
        {
            var links = new List<(string Label, string Href)> { ("Change calendar", Url.Page(CalendarModel.PagePath)!) };
            if (UnauthorisedWritesModel.Readers.Split(',').Any(Actor.IsInRole))
                links.Add(("Unauthorised CMDB writes", Url.Page(UnauthorisedWritesModel.PagePath)!));
            return links;
        }
    }
}
