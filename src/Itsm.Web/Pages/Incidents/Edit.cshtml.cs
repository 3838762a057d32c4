using System.ComponentModel.DataAnnotations;
using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Reference;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Incidents;

/// <summary>
/// Edits an incident's fields. GET fills the form from the incident; POST sends only the fields that differ from it
/// (an unchanged field is left alone), with the version the form was filled from as the expected version.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class EditModel(IMediator mediator) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("shortDescription", "Input.ShortDescription"), ("description", "Input.Description"), ("category", "Input.Category"),
        ("impact", "Input.Impact"), ("urgency", "Input.Urgency"),
        ("assignmentGroupId", "Input.AssignmentGroupId"), ("assigneeId", "Input.AssigneeId"), ("assignee", "Input.AssigneeId"),
        ("priority", "Input.PriorityOverride"), ("priorityOverride", "Input.PriorityOverride"),
        ("priorityOverrideReason", "Input.PriorityOverrideReason"), ("parentIncidentNumber", "Input.ParentIncidentNumber"));

    [BindProperty(SupportsGet = true)]
    public string Number { get; set; } = "";

    [BindProperty]
    public EditInput Input { get; set; } = new();

    public IncidentDetails Incident { get; private set; } = null!;
    public IReadOnlyList<CategoryItem> Categories { get; private set; } = [];
    public IReadOnlyList<GroupItem> Groups { get; private set; } = [];

    public IEnumerable<SelectListItem> GroupOptions => FormOptions.Groups(Groups, Input.AssignmentGroupId, "— None —");

    public IEnumerable<SelectListItem> PriorityOptions =>
        new[] { new SelectListItem("From the matrix (no override)", "", Input.PriorityOverride is null) }
            .Concat(Enum.GetValues<Priority>().Select(p => new SelectListItem(p.Label(), ((int)p).ToString(System.Globalization.CultureInfo.InvariantCulture), (int)p == Input.PriorityOverride)));

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        await LoadAsync();
        Input = EditInput.From(Incident);
        return Page();
    });

    public Task<IActionResult> OnPostAsync() => this.SendAsync(async () =>
    {
        var current = await mediator.Send(new GetIncident(Number));
        var request = Changes(current, Input);
        if (request is null)
        {
            this.SetStatusMessage("Nothing changed.");
            return RedirectToPage("/Incidents/Details", new { number = current.Number });
        }
        var result = await mediator.Send(request);
        this.SetStatusMessage($"{result.Number} was updated.");
        return RedirectToPage("/Incidents/Details", new { number = result.Number });
    }, LoadAsync, Fields);

    private async Task<IActionResult> LoadAsync()
    {
        Incident = await mediator.Send(new GetIncident(Number));
        Number = Incident.Number;
        Categories = await mediator.Send(new ListCategories());
        Groups = await mediator.Send(new ListAssignmentGroups());
        return Page();
    }

    /// <summary>The update that turns <paramref name="current"/> into the form's values; null when nothing differs.</summary>
    public static UpdateIncident? Changes(IncidentDetails current, EditInput input)
    {
        static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var was = EditInput.From(current);
        var r = new UpdateIncident { Number = current.Number, ExpectedVersion = input.Version };
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
        if (!string.Equals(Text(input.ParentIncidentNumber), Text(was.ParentIncidentNumber), StringComparison.OrdinalIgnoreCase))
        {
            r = r with { ParentIncidentNumber = Text(input.ParentIncidentNumber)?.ToUpperInvariant() };
            changed = true;
        }
        return changed ? r : null;
    }

    public sealed class EditInput
    {
        /// <summary>The version the form was filled from: sent as the expected version.</summary>
        public int Version { get; set; }

        [Display(Name = "Short description")]
        public string? ShortDescription { get; set; }

        [Display(Name = "Description")]
        public string? Description { get; set; }

        [Display(Name = "Category")]
        public string? Category { get; set; }

        [Display(Name = "Impact")]
        public int Impact { get; set; } = 3;

        [Display(Name = "Urgency")]
        public int Urgency { get; set; } = 3;

        [Display(Name = "Priority override")]
        public int? PriorityOverride { get; set; }

        [Display(Name = "Reason for the override")]
        public string? PriorityOverrideReason { get; set; }

        [Display(Name = "Assignment group")]
        public Guid? AssignmentGroupId { get; set; }

        [Display(Name = "Assigned to")]
        public string? AssigneeId { get; set; }

        [Display(Name = "Parent (major) incident number")]
        public string? ParentIncidentNumber { get; set; }

        public static EditInput From(IncidentDetails i) => new()
        {
            Version = i.Version,
            ShortDescription = i.ShortDescription,
            Description = i.Description,
            Category = i.CategoryCode,
            Impact = (int)i.Impact,
            Urgency = (int)i.Urgency,
            PriorityOverride = i.PriorityOverrideReason is null ? null : (int)i.Priority,
            PriorityOverrideReason = i.PriorityOverrideReason,
            AssignmentGroupId = i.AssignmentGroupId,
            AssigneeId = i.AssigneeId,
            ParentIncidentNumber = i.ParentIncidentNumber,
        };
    }
}
