using Itsm.Application.Features.Changes.Cab;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Cab;

/// <summary>
/// The CAB workbench: one meeting's agenda in order, each change with its risk and reasons, conflicts, blast radius,
/// approvals and earlier decisions, and the board's decision form; the minutes; and, for the change manager, start,
/// reorder and close. Every form posts the version it was shown, so two people at the workbench do not overwrite each other.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class MeetingModel(IMediator mediator) : PageModel
{
    [FromRoute] public Guid Id { get; set; }

    public CabMeetingView Meeting { get; private set; } = null!;

    /// <summary>After a failed decision: which change it was for and what was typed.</summary>
    public string? FailedChange { get; private set; }
    public string? DecisionInput { get; private set; }
    public string? NotesInput { get; private set; }
    /// <summary>After failed minutes: the text typed.</summary>
    public string? MinutesInput { get; private set; }
    public bool MinutesFailed { get; private set; }
    /// <summary>After a failed add: the change number typed.</summary>
    public string? AddInput { get; private set; }
    public const string AddKey = "add-changeNumber";

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    public Task<IActionResult> OnPostStartAsync(int? version) => this.SendAsync(async () =>
    {
        await mediator.Send(new StartCabMeeting(Id, version));
        this.SetStatusMessage("The meeting has started: record the board's decisions on the agenda.");
        return RedirectToPage("/Cab/Meeting", new { id = Id });
    }, LoadAsync);

    public Task<IActionResult> OnPostCloseAsync(int? version) => this.SendAsync(async () =>
    {
        await mediator.Send(new CloseCabMeeting(Id, version));
        this.SetStatusMessage("The meeting is closed; its decisions and minutes are the record.");
        return RedirectToPage("/Cab/Meeting", new { id = Id });
    }, LoadAsync);

    public Task<IActionResult> OnPostMinutesAsync(string? minutes, int? version)
    {
        (MinutesInput, MinutesFailed) = (minutes, true);
        return this.SendAsync(async () =>
        {
            await mediator.Send(new RecordCabMinutes(Id, minutes, version));
            this.SetStatusMessage("The minutes are saved.");
            return RedirectToPage("/Cab/Meeting", null, new { id = Id }, "minutes-section");
        }, LoadAsync, PageModelExtensions.FieldMap(("minutes", "minutes")));
    }

    /// <summary>Moves a change up or down: the form carries the whole agenda in its new order.</summary>
    public Task<IActionResult> OnPostReorderAsync(List<string>? order, int? version) => this.SendAsync(async () =>
    {
        await mediator.Send(new ReorderCabAgenda(Id, order ?? [], version));
        this.SetStatusMessage("The agenda is reordered.");
        return RedirectToPage("/Cab/Meeting", null, new { id = Id }, "agenda");
    }, LoadAsync);

    /// <summary>Puts one more change awaiting the CAB at the end of the agenda.</summary>
    public Task<IActionResult> OnPostAddItemAsync(string? changeNumber, int? version)
    {
        AddInput = changeNumber;
        return this.SendAsync(async () =>
        {
            var meeting = await mediator.Send(new AddChangeToCabAgenda(Id, changeNumber, version));
            var added = meeting.Agenda[^1].ChangeNumber;
            this.SetStatusMessage($"{added} is on the agenda, as item {meeting.Agenda.Count}.");
            return RedirectToPage("/Cab/Meeting", null, new { id = Id }, "item-" + added);
        }, LoadAsync, PageModelExtensions.FieldMap(("changeNumber", AddKey)));
    }

    /// <summary>Takes a change the board has not decided on off the agenda.</summary>
    public Task<IActionResult> OnPostRemoveItemAsync(string? changeNumber, int? version) => this.SendAsync(async () =>
    {
        var number = (changeNumber ?? "").Trim().ToUpperInvariant();
        await mediator.Send(new RemoveChangeFromCabAgenda(Id, number, version));
        this.SetStatusMessage($"{number} is off the agenda.");
        return RedirectToPage("/Cab/Meeting", null, new { id = Id }, "agenda");
    }, LoadAsync);

    public Task<IActionResult> OnPostDecideAsync(string? changeNumber, string? decision, string? notes, int? version)
    {
        var number = (changeNumber ?? "").Trim().ToUpperInvariant();
        (FailedChange, DecisionInput, NotesInput) = (number, decision, notes);
        return this.SendAsync(async () =>
        {
            var done = await mediator.Send(new RecordCabDecision(Id, number, decision, notes, version));
            this.SetStatusMessage(done.Summary);
            return RedirectToPage("/Cab/Meeting", null, new { id = Id }, "item-" + done.ChangeNumber);
        }, LoadAsync, PageModelExtensions.FieldMap(("decision", DecisionKey(number)), ("notes", NotesKey(number))));
    }

    public static string DecisionKey(string number) => "decision-" + number;
    public static string NotesKey(string number) => "notes-" + number;

    /// <summary>The agenda's change numbers with one of them moved by <paramref name="by"/> places (for the up and down buttons).</summary>
    public IReadOnlyList<string> OrderWith(string number, int by)
    {
        var order = Meeting.Agenda.Select(i => i.ChangeNumber).ToList();
        var from = order.IndexOf(number);
        order.RemoveAt(from);
        order.Insert(Math.Clamp(from + by, 0, order.Count), number);
        return order;
    }

    /// <summary>The change's page (its conventional address when the change pages do not answer to Url.Page).</summary>
    public string ChangeUrl(string number) => Url.Page("/Changes/Details", new { number }) ?? $"/Changes/{number}";

    public string? ImpactUrl(CabAgendaItemView item) => CabPages.ImpactQuery(item.BlastRadius) is { } q ? Url.Page("/Cmdb/Impact") + q : null;

    private async Task<IActionResult> LoadAsync()
    {
        Meeting = await mediator.Send(new GetCabMeeting(Id));
        return Page();
    }
}
