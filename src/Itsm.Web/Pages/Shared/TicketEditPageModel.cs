using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// Edits a ticket's fields. GET fills the form from the ticket; POST sends the whole form as the update, with the
/// version the form was filled from as the expected version: what changed is the aggregate's to find (an unchanged
/// field records nothing), exactly as for a PATCH of the API. A module's page names its get and update requests and
/// adds its own fields.
/// </summary>
public abstract class TicketEditPageModel<TInput, TDetails>(IMediator mediator) : TicketFormPageModel<TInput>(mediator), ITicketEditForm
    where TInput : TicketEditInput, new()
    where TDetails : TicketDetails
{
    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    /// <summary>The ticket as it is now (loaded on every request).</summary>
    public TDetails Details { get; private set; } = null!;
    TicketDetails ITicketEditForm.Ticket => Details;
    TicketEditInput ITicketEditForm.Input => Input;

    public abstract string DetailsPage { get; }
    protected abstract Task<TDetails> GetAsync(string number);
    /// <summary>The module's update request, with nothing set yet.</summary>
    protected abstract UpdateTicket NewUpdate();
    protected abstract Task<TDetails> SendAsync(UpdateTicket update);
    /// <summary>Domain field keys → inputs; the module adds its own to <see cref="TicketFormPageModel{TInput}.CommonFields"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string> Fields => CommonFields;

    /// <summary>The form's values as the ticket has them now.</summary>
    protected virtual TInput From(TDetails t)
    {
        var input = new TInput();
        input.Fill(t);
        return input;
    }

    /// <summary>Sets the module's own fields of the form on the update.</summary>
    protected virtual UpdateTicket WithModuleFields(UpdateTicket update, TInput input) => update;

    public IEnumerable<SelectListItem> PriorityOptions =>
        new[] { new SelectListItem("From the matrix (no override)", "", Input.PriorityOverride is null) }
            .Concat(Enum.GetValues<Priority>().Select(p => new SelectListItem(p.Label(), ((int)p).ToString(CultureInfo.InvariantCulture), (int)p == Input.PriorityOverride)));

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        await LoadAsync();
        Input = From(Details);
        return Page();
    });

    public Task<IActionResult> OnPostAsync() => this.SendAsync(async () =>
    {
        var current = await GetAsync(Number);
        var result = await SendAsync(Update(current.Number, Input));
        this.SetStatusMessage(result.Version == Input.Version ? "Nothing changed." : $"{result.Number} was updated.");
        return RedirectToPage(DetailsPage, new { number = result.Number });
    }, LoadAsync, Fields);

    private async Task<IActionResult> LoadAsync()
    {
        Details = await GetAsync(Number);
        Number = Details.Number;
        await LoadOptionsAsync();
        return Page();
    }

    /// <summary>The form as an update of every field it shows.</summary>
    public UpdateTicket Update(string number, TInput input)
    {
        static string? Text(string? s) => TicketFormInput.Text(s);
        var r = NewUpdate() with
        {
            Number = number,
            ExpectedVersion = input.Version,
            ShortDescription = input.ShortDescription ?? "",
            Description = Text(input.Description),
            Category = Text(input.Category),
            Impact = input.Impact,
            Urgency = input.Urgency,
            AssignmentGroupId = new Optional<Guid?>(true, input.AssignmentGroupId),
            AssigneeId = Text(input.AssigneeId),
            PriorityOverride = new Optional<int?>(true, input.PriorityOverride),
            PriorityOverrideReason = input.PriorityOverride is null ? null : Text(input.PriorityOverrideReason),
        };
        return WithModuleFields(r, input);
    }
}
