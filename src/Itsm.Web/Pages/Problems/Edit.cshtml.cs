using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Problems;

/// <summary>Edits a problem's common fields (see <see cref="TicketEditPageModel{TInput, TDetails}"/>); the root cause has its own form on the problem's page.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class EditModel(IMediator mediator) : TicketEditPageModel<TicketEditInput, ProblemDetails>(mediator)
{
    public override string DetailsPage => "/Problems/Details";
    protected override Task<ProblemDetails> GetAsync(string number) => Mediator.Send(new GetProblem(number));
    protected override UpdateTicket NewUpdate() => new UpdateProblem();
    protected override async Task<ProblemDetails> SendAsync(UpdateTicket update) => await Mediator.Send((UpdateProblem)update);
}
