using System.ComponentModel.DataAnnotations;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Incidents;

/// <summary>Edits an incident's fields: the common ones (see <see cref="TicketEditPageModel{TInput, TDetails}"/>) its parent (major) incident and the change that caused it.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class EditModel(IMediator mediator) : TicketEditPageModel<EditModel.EditInput, IncidentDetails>(mediator)
{
    private static readonly IReadOnlyDictionary<string, string> IncidentFields = FieldsWith(("parentIncidentNumber", "Input.ParentIncidentNumber"), ("causedByChangeNumber", "Input.CausedByChangeNumber"));

    public override string DetailsPage => "/Incidents/Details";
    protected override IReadOnlyDictionary<string, string> Fields => IncidentFields;
    protected override Task<IncidentDetails> GetAsync(string number) => Mediator.Send(new GetIncident(number));
    protected override UpdateTicket NewUpdate() => new UpdateIncident();
    protected override async Task<IncidentDetails> SendAsync(UpdateTicket update) => await Mediator.Send((UpdateIncident)update);

    protected override EditInput From(IncidentDetails t)
    {
        var input = base.From(t);
        input.ParentIncidentNumber = t.ParentIncidentNumber;
        input.CausedByChangeNumber = t.CausedByChangeNumber;
        return input;
    }

    protected override UpdateTicket WithModuleFields(UpdateTicket update, EditInput input) =>
        (UpdateIncident)update with
        {
            ParentIncidentNumber = TicketFormInput.Text(input.ParentIncidentNumber)?.ToUpperInvariant(),
            CausedByChangeNumber = TicketFormInput.Text(input.CausedByChangeNumber)?.ToUpperInvariant(),
        };

    public sealed class EditInput : TicketEditInput
    {
        [Display(Name = "Parent (major) incident number")]
        public string? ParentIncidentNumber { get; set; }

        [Display(Name = "Caused by change")]
        public string? CausedByChangeNumber { get; set; }
    }
}
