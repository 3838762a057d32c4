using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Problems;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

using ProblemDetails = Itsm.Application.Features.Problems.ProblemDetails;

namespace Itsm.Web.Pages.Problems;

/// <summary>Raises a problem; from an incident (?incident=INC…) the form starts from the incident and the incident is linked to it.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class CreateModel(IMediator mediator) : TicketCreatePageModel<CreateModel.CreateInput, ProblemDetails>(mediator)
{
    /// <summary>The incident it is raised from, on the first GET.</summary>
    [BindProperty(SupportsGet = true, Name = "incident")]
    public string? FromIncident { get; set; }

    public override string DetailsPage => "/Problems/Details";

    protected override async Task PrefillAsync()
    {
        if (TicketFormInput.Text(FromIncident) is not { } number) return;
        var incident = await Mediator.Send(new GetIncident(number));
        Input.IncidentNumber = incident.Number;
        Input.ShortDescription = incident.ShortDescription;
        Input.Description = incident.Description;
        Input.Category = incident.CategoryCode;
        Input.Impact = (int)incident.Impact;
        Input.Urgency = (int)incident.Urgency;
    }

    protected override IRequest<ProblemDetails> LogRequest(string? idempotencyKey) => new LogProblem
    {
        IdempotencyKey = idempotencyKey,
        IncidentNumber = TicketFormInput.Text(Input.IncidentNumber),
        ShortDescription = TicketFormInput.Text(Input.ShortDescription),
        Description = TicketFormInput.Text(Input.Description),
        Category = TicketFormInput.Text(Input.Category),
        Impact = Input.Impact,
        Urgency = Input.Urgency,
        AssignmentGroupId = Input.AssignmentGroupId,
        AssigneeId = TicketFormInput.Text(Input.AssigneeId),
    };

    protected override string Logged(ProblemDetails created) =>
        created.Incidents.Count > 0
            ? $"{created.Number} was raised with priority {created.Priority.Label()}; {string.Join(", ", created.Incidents.Select(i => i.Number))} is linked to it."
            : $"{created.Number} was raised with priority {created.Priority.Label()}.";

    public sealed class CreateInput : TicketCreateInput
    {
        /// <summary>The incident the problem is raised from (a hidden field).</summary>
        public string? IncidentNumber { get; set; }
    }
}
