using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Reference;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Incidents;

/// <summary>
/// One incident: its fields, the transitions the process allows the viewer now, take, comment, worklog and history.
/// A requester sees their own tickets here too (others are "not found"), without edit, take or work notes.
/// </summary>
public sealed class DetailsModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    public IncidentDetails Incident { get; private set; } = null!;
    public IReadOnlyList<TransitionOption> Transitions { get; private set; } = [];
    public IReadOnlyList<WorklogItem> Worklog { get; private set; } = [];
    public IReadOnlyList<HistoryItem> History { get; private set; } = [];
    public string? CategoryLabel { get; private set; }
    public IReadOnlyDictionary<string, string> CategoryLabels { get; private set; } = new Dictionary<string, string>();

    /// <summary>A history value as a person reads it: choices and categories by their label.</summary>
    public string? HistoryValue(string field, string? value) =>
        field == "category" && value is not null ? CategoryLabels.GetValueOrDefault(value, value) : Display.HistoryValue(Process, field, value);

    /// <summary>After a failed transition: which one, and what was typed, so its form opens again with the errors.</summary>
    public string? FailedTransition { get; private set; }
    public IReadOnlyDictionary<string, string?> TransitionValues { get; private set; } = new Dictionary<string, string?>();

    /// <summary>After a failed comment: what was typed.</summary>
    public string? CommentText { get; private set; }
    public bool CommentWorkNote { get; private set; }

    public ProcessDefinition Process => processes.For(TicketKind.Incident);
    public Actor Actor => user.Actor;
    public bool IsFinal => Process.State(Incident.State).IsFinal;
    public bool MayUpdate => Actor.IsFulfiller && PageRoles.MaySend<UpdateIncident>(Actor);
    public bool MayTake => MayUpdate && !IsFinal && Incident.AssigneeId != Actor.UserId;
    public bool MayComment => !IsFinal;

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    public Task<IActionResult> OnPostTransitionAsync(string? transition, int? version, Dictionary<string, string?>? fields)
    {
        FailedTransition = transition;
        var values = (fields ?? []).Where(f => !string.IsNullOrWhiteSpace(f.Value)).ToDictionary(f => f.Key, f => f.Value);
        TransitionValues = values;
        return this.SendAsync(async () =>
        {
            var result = await mediator.Send(new TransitionIncident
            {
                Number = Number, Transition = transition ?? "", Fields = values, ExpectedVersion = version,
            });
            this.SetStatusMessage($"{result.Number} is now {result.StateLabel}.");
            return RedirectToPage("/Incidents/Details", new { number = result.Number });
        }, LoadAsync, PageModelExtensions.FieldMap(TransitionFields.Known.Select(f => ("fields." + f, TransitionFieldKey(f))).ToArray()));
    }

    public Task<IActionResult> OnPostTakeAsync(int? version) => this.SendAsync(async () =>
    {
        var actor = Actor;
        if (!MayUpdate) return Forbid();
        var current = await mediator.Send(new GetIncident(Number));
        var request = new UpdateIncident { Number = current.Number, ExpectedVersion = version, AssigneeId = actor.UserId };
        if (current.AssignmentGroupId is not { } groupId || !actor.GroupIds.Contains(groupId))
        {
            // Take it into one of my own groups: the first of them by name.
            var mine = (await mediator.Send(new ListAssignmentGroups())).FirstOrDefault(g => actor.GroupIds.Contains(g.Id));
            if (mine is null)
            {
                ModelState.AddModelError("", "You are not a member of any assignment group, so you cannot take incidents. Ask an administrator to add you to one.");
                return await LoadAsync();
            }
            request = request with { AssignmentGroupId = new Optional<Guid?>(true, mine.Id) };
        }
        var result = await mediator.Send(request);
        this.SetStatusMessage($"{result.Number} is now assigned to you{(result.AssignmentGroupName is { } g ? " in " + g : "")}.");
        return RedirectToPage("/Incidents/Details", new { number = result.Number });
    }, LoadAsync);

    public Task<IActionResult> OnPostCommentAsync(string? text, bool workNote)
    {
        CommentText = text;
        CommentWorkNote = workNote;
        return this.SendAsync(async () =>
        {
            await mediator.Send(new CommentOnIncident { Number = Number, Text = text ?? "", WorkNote = workNote });
            this.SetStatusMessage(workNote ? "Work note added." : "Comment added.");
            return RedirectToPage("/Incidents/Details", null, new { number = Number.Trim().ToUpperInvariant() }, "worklog");
        }, LoadAsync, PageModelExtensions.FieldMap(("text", "text")));
    }

    /// <summary>The form field name (and ModelState key) of a transition field.</summary>
    public static string TransitionFieldKey(string field) => $"fields[{field}]";

    /// <summary>
    /// The fields a transition's form offers: the required ones, and the reason for reopening when the transition
    /// leaves a resolved (inactive, not final) state for an active one, which the domain records as a comment.
    /// </summary>
    public IReadOnlyList<(string Field, bool Required)> FormFields(TransitionOption t)
    {
        var fields = t.RequiredFields.Select(f => (f, true)).ToList();
        var from = Process.State(Incident.State);
        var to = Process.State(t.To);
        if (!from.IsActive && !from.IsFinal && to.IsActive && !t.RequiredFields.Contains(TransitionFields.ReopenReason))
            fields.Add((TransitionFields.ReopenReason, false));
        return fields;
    }

    public IReadOnlyList<Choice>? ChoicesFor(string field) => field switch
    {
        TransitionFields.HoldReason => Process.HoldReasons,
        TransitionFields.ResolutionCode => Process.ResolutionCodes,
        _ => null,
    };

    private async Task<IActionResult> LoadAsync()
    {
        Incident = await mediator.Send(new GetIncident(Number));
        Number = Incident.Number;
        Transitions = await mediator.Send(new GetAllowedTransitions(Number));
        Worklog = await mediator.Send(new ListIncidentWorklog(Number));
        History = await mediator.Send(new GetIncidentHistory(Number));
        CategoryLabels = (await mediator.Send(new ListCategories())).ToDictionary(c => c.Code, c => c.Label);
        CategoryLabel = Incident.CategoryCode is { } code ? CategoryLabels.GetValueOrDefault(code, code) : null;
        return Page();
    }
}
