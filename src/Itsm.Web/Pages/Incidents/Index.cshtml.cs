using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Incidents;

/// <summary>The agent workspace: queues of incidents with filters, sortable columns and paging (a GET form, no script).</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : TicketQueuePageModel(mediator, processes, user)
{
    public override TicketKind Kind => TicketKind.Incident;
    public override string ListPage => "/Incidents/Index";
    public override string DetailsPage => "/Incidents/Details";
    public override string Noun => "incidents";
    public override string? CreatePage => "/Incidents/Create";
    public override string CreateLabel => "New incident";

    protected override ListTickets NewQuery() => new ListIncidents();
    protected override Task<Page<TicketSummary>> SendAsync(ListTickets query) => Mediator.Send((ListIncidents)query);
}
