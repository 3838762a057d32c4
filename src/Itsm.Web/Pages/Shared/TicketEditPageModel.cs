using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>The common fields of a ticket's edit form, and the version it was filled from.</summary>
public class TicketEditInput : TicketFormInput
{
    /// <summary>The version the form was filled from: sent as the expected version.</summary>
    public int Version { get; set; }

    [Display(Name = "Priority override")]
    public int? PriorityOverride { get; set; }

    [Display(Name = "Reason for the override")]
    public string? PriorityOverrideReason { get; set; }

    /// <summary>Fills the common fields from the ticket.</summary>
    public void Fill(TicketDetails t)
    {
        Version = t.Version;
        ShortDescription = t.ShortDescription;
        Description = t.Description;
        Category = t.CategoryCode;
        Impact = (int)t.Impact;
        Urgency = (int)t.Urgency;
        PriorityOverride = t.PriorityOverrideReason is null ? null : (int)t.Priority;
        PriorityOverrideReason = t.PriorityOverrideReason;
        AssignmentGroupId = t.AssignmentGroupId;
        AssigneeId = t.AssigneeId;
    }
}

/// <summary>What the _TicketEditFields partial reads.</summary>
public interface ITicketEditForm : ITicketForm
{
    new TicketEditInput Input { get; }
    TicketDetails Ticket { get; }
    IEnumerable<SelectListItem> PriorityOptions { get; }
}

/// <summary>
/// Edits a ticket's fields. GET fills the form from the ticket; POST sends only the fields that differ from it (an
/// unchanged field is left alone), with the version the form was filled from as the expected version. A module's
/// page names its get and update requests and adds its own fields.
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
    /// <summary>The module's update request for the ticket, with nothing set yet.</summary>
    protected abstract UpdateTicket NewUpdate(TDetails current);
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

    /// <summary>The module's own fields that differ: sets them on the update and says whether any did.</summary>
    protected virtual UpdateTicket ModuleChanges(UpdateTicket update, TInput was, TInput input, ref bool changed) => update;

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
        var request = Changes(current, Input);
        if (request is null)
        {
            this.SetStatusMessage("Nothing changed.");
            return RedirectToPage(DetailsPage, new { number = current.Number });
        }
        var result = await SendAsync(request);
        this.SetStatusMessage($"{result.Number} was updated.");
        return RedirectToPage(DetailsPage, new { number = result.Number });
    }, LoadAsync, Fields);

    private async Task<IActionResult> LoadAsync()
    {
        Details = await GetAsync(Number);
        Number = Details.Number;
        await LoadOptionsAsync();
        return Page();
    }

    /// <summary>The update that turns <paramref name="current"/> into the form's values; null when nothing differs.</summary>
    public UpdateTicket? Changes(TDetails current, TInput input)
    {
        static string? Text(string? s) => TicketFormInput.Text(s);
        var was = From(current);
        // with-expressions on the base record keep the module's request type.
        var r = NewUpdate(current) with { Number = current.Number, ExpectedVersion = input.Version };
        var changed = false;
        if (Text(input.ShortDescription) != Text(was.ShortDescription)) { r = r with { ShortDescription = input.ShortDescription ?? "" }; changed = true; }
        if (Text(input.Description) != Text(was.Description)) { r = r with { Description = Text(input.Description) }; changed = true; }
        if (Text(input.Category) != Text(was.Category)) { r = r with { Category = Text(input.Category) }; changed = true; }
        if (input.Impact != was.Impact) { r = r with { Impact = input.Impact }; changed = true; }
        if (input.Urgency != was.Urgency) { r = r with { Urgency = input.Urgency }; changed = true; }
        if (input.AssignmentGroupId != was.AssignmentGroupId || Text(input.AssigneeId) != Text(was.AssigneeId))
        {
            r = r with { AssignmentGroupId = new Optional<Guid?>(true, input.AssignmentGroupId), AssigneeId = Text(input.AssigneeId) };
            changed = true;
        }
        if (input.PriorityOverride != was.PriorityOverride
            || input.PriorityOverride is not null && Text(input.PriorityOverrideReason) != Text(was.PriorityOverrideReason))
        {
            r = r with
            {
                PriorityOverride = new Optional<int?>(true, input.PriorityOverride),
                PriorityOverrideReason = input.PriorityOverride is null ? null : Text(input.PriorityOverrideReason),
            };
            changed = true;
        }
        r = ModuleChanges(r, was, input, ref changed);
        return changed ? r : null;
    }
}
