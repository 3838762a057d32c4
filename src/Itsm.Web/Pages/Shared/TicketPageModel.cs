using Itsm.Application.Common;
using Itsm.Application.Features.Reference;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// The page of one ticket, of any kind: the transitions its process allows the viewer now, take, comment, worklog and
/// history (shown by the _Ticket* partials). A module's page adds its own fields and panels.
/// </summary>
public abstract partial class TicketPageModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    public abstract TicketKind Kind { get; }
    /// <summary>The ticket as the module's details show it (loaded by <see cref="LoadTicketAsync"/>).</summary>
    public abstract TicketDetails Ticket { get; }
    /// <summary>The page of this ticket, for redirects after a post.</summary>
    public abstract string DetailsPage { get; }
    /// <summary>The edit page, when the viewer may edit.</summary>
    public virtual string? EditPage => null;
    public abstract bool MayUpdate { get; }
    /// <summary>What the person the ticket is for is called on this kind's page ("Caller", "Raised by").</summary>
    public virtual string RequesterLabel => "Caller";

    public IReadOnlyList<TransitionOption> Transitions { get; private set; } = [];
    public IReadOnlyList<WorklogItem> Worklog { get; private set; } = [];
    public IReadOnlyList<HistoryItem> History { get; private set; } = [];
    public IReadOnlyDictionary<string, string> CategoryLabels { get; private set; } = new Dictionary<string, string>();
    public string? CategoryLabel => Ticket.CategoryCode is { } code ? CategoryLabels.GetValueOrDefault(code, code) : null;

    /// <summary>After a failed transition: which one, and what was typed, so its form opens again with the errors.</summary>
    public string? FailedTransition { get; private set; }
    public IReadOnlyDictionary<string, string?> TransitionValues { get; private set; } = new Dictionary<string, string?>();

    /// <summary>After a failed comment: what was typed.</summary>
    public string? CommentText { get; private set; }
    public bool CommentWorkNote { get; private set; }

    public ProcessDefinition Process => processes.For(Kind);
    /// <summary>The processes of every kind, for a page that shows linked tickets of another kind.</summary>
    protected IProcessCatalog Processes => processes;
    public Actor Actor => user.Actor;
    public IMediator Mediator => mediator;
    public bool IsFinal => Process.State(Ticket.State).IsFinal;
    public bool MayTake => Actor.IsFulfiller && MayUpdate && !IsFinal && Ticket.AssigneeId != Actor.UserId;
    public bool MayComment => !IsFinal;

    /// <summary>A history field's label; the requester goes by this kind's name for them ("Raised by" on a problem).</summary>
    public string FieldLabel(string field) => field == "requester" ? RequesterLabel : Display.FieldLabel(field);

    /// <summary>A history value as a person reads it: choices and categories by their label.</summary>
    public string? HistoryValue(string field, string? value) =>
        field == "category" && value is not null ? CategoryLabels.GetValueOrDefault(value, value) : Display.HistoryValue(Process, field, value);

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    // Named explicitly: without a name, a form with no fields[...] input falls back to binding every form value
    // (transition, version, the anti-forgery token) into the dictionary, and a fieldless transition is refused.
    public Task<IActionResult> OnPostTransitionAsync(string? transition, int? version, [FromForm(Name = "fields")] Dictionary<string, string?>? fields)
    {
        FailedTransition = transition;
        // A form sends every input it has; blank ones were not filled in.
        var values = (fields ?? []).Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value);
        TransitionValues = values;
        return this.SendAsync(async () =>
        {
            var done = await mediator.Send(new TransitionTicket { Kind = Kind, Number = Number, Transition = transition ?? "", Fields = values, ExpectedVersion = version });
            this.SetStatusMessage($"{done.Number} is now {Display.StateLabel(Process, done.Outcome.To)}.");
            return RedirectToPage(DetailsPage, new { number = done.Number });
        }, LoadAsync, PageModelExtensions.FieldMap(TransitionFields.Known.Select(f => ("fields." + f, TransitionFieldKey(f))).ToArray()));
    }

    public Task<IActionResult> OnPostTakeAsync(int? version) => this.SendAsync(async () =>
    {
        var number = await mediator.Send(new TakeTicket(Kind, Number, version));
        this.SetStatusMessage($"{number} is now assigned to you.");
        return RedirectToPage(DetailsPage, new { number });
    }, LoadAsync);

    public Task<IActionResult> OnPostCommentAsync(string? text, bool workNote)
    {
        CommentText = text;
        CommentWorkNote = workNote;
        return this.SendAsync(async () =>
        {
            await mediator.Send(new CommentOnTicket { Kind = Kind, Number = Number, Text = text ?? "", WorkNote = workNote });
            this.SetStatusMessage(workNote ? "Work note added." : "Comment added.");
            return RedirectToPage(DetailsPage, null, new { number = Number.Trim().ToUpperInvariant() }, "worklog");
        }, LoadAsync, PageModelExtensions.FieldMap(("text", "text")));
    }

    /// <summary>The form field name (and ModelState key) of a transition field.</summary>
    public static string TransitionFieldKey(string field) => $"fields[{field}]";

    /// <summary>The fields a transition's form offers: exactly those its process entry declares.</summary>
    public IReadOnlyList<(string Field, bool Required)> FormFields(TransitionOption t) =>
        t.RequiredFields.Select(f => (f, true)).Concat(t.OptionalFields.Select(f => (f, false))).ToList();

    public IReadOnlyList<Choice>? ChoicesFor(string field) => TransitionFields.All.GetValueOrDefault(field)?.Choices?.Invoke(Process);

    /// <summary>What a transition form starts with before anything was typed (e.g. the root cause recorded so far).</summary>
    public virtual string? InitialValue(string field) => null;

    /// <summary>
    /// What a person typed as a number of another ticket, upper case; null, with an error under
    /// <paramref name="modelKey"/>, when it is not a number of that kind.
    /// </summary>
    protected string? TypedNumber(string? typed, TicketKind kind, string modelKey)
    {
        var key = (typed ?? "").Trim().ToUpperInvariant();
        if (TicketNumber.TryParse(key, out var n) && n.Kind == kind) return key;
        ModelState.AddModelError(modelKey, $"Enter {(kind == TicketKind.Incident ? "an" : "a")} {kind.ToString().ToLowerInvariant()} number, e.g. {new TicketNumber(kind, 1001)}.");
        return null;
    }

    /// <summary>Loads the module's details of the ticket and sets <see cref="Number"/> to its spelling.</summary>
    protected abstract Task LoadTicketAsync();

    protected async Task<IActionResult> LoadAsync()
    {
        await LoadTicketAsync();
        Number = Ticket.Number;
        Transitions = await mediator.Send(new GetAllowedTransitions(Kind, Number));
        Worklog = await mediator.Send(new ListTicketWorklog(Kind, Number));
        History = await mediator.Send(new GetTicketHistory(Kind, Number));
        CategoryLabels = (await mediator.Send(new ListCategories())).ToDictionary(c => c.Code, c => c.Label);
        await LoadCisAsync();
        return Page();
    }
}
