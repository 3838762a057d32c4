using System.ComponentModel.DataAnnotations;
using Itsm.Application.Features.Incidents;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Incidents;

/// <summary>The service desk logs an incident, possibly for a caller, and may assign it at once.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class CreateModel(IMediator mediator) : TicketCreatePageModel<CreateModel.CreateInput, IncidentDetails>(mediator)
{
    private static readonly IReadOnlyDictionary<string, string> IncidentFields = FieldsWith(("caller", "Input.Caller"));

    public override string DetailsPage => "/Incidents/Details";
    protected override IReadOnlyDictionary<string, string> Fields => IncidentFields;
    protected override string NoGroupLabel => "— From the category —";
    public override string? GroupHelp => "Left empty, the category's group takes it.";

    protected override IRequest<IncidentDetails> LogRequest(string? idempotencyKey) => new LogIncident
    {
        IdempotencyKey = idempotencyKey,
        Caller = TicketFormInput.Text(Input.Caller),
        ShortDescription = Input.ShortDescription ?? "",
        Description = Input.Description,
        Category = TicketFormInput.Text(Input.Category),
        Impact = Input.Impact,
        Urgency = Input.Urgency,
        AssignmentGroupId = Input.AssignmentGroupId,
        AssigneeId = TicketFormInput.Text(Input.AssigneeId),
    };

    protected override string Logged(IncidentDetails created) => $"{created.Number} was logged with priority {created.Priority.Label()}.";

    public sealed class CreateInput : TicketCreateInput
    {
        [Display(Name = "Caller (user name)")]
        public string? Caller { get; set; }
    }
}
