using System.ComponentModel.DataAnnotations;
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

/// <summary>The service desk logs an incident, possibly for a caller, and may assign it at once.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class CreateModel(IMediator mediator) : PageModel
{
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("caller", "Input.Caller"), ("shortDescription", "Input.ShortDescription"), ("description", "Input.Description"),
        ("category", "Input.Category"), ("impact", "Input.Impact"), ("urgency", "Input.Urgency"),
        ("assignmentGroupId", "Input.AssignmentGroupId"), ("assigneeId", "Input.AssigneeId"), ("assignee", "Input.AssigneeId"));

    [BindProperty]
    public CreateInput Input { get; set; } = new();

    public IReadOnlyList<CategoryItem> Categories { get; private set; } = [];
    public IReadOnlyList<GroupItem> Groups { get; private set; } = [];

    public IEnumerable<SelectListItem> GroupOptions => FormOptions.Groups(Groups, Input.AssignmentGroupId, "— From the category —");

    public Task<IActionResult> OnGetAsync()
    {
        Input.FormId = Guid.NewGuid().ToString("N");
        return this.LoadAsync(LoadAsync);
    }

    public Task<IActionResult> OnPostAsync() => this.SendAsync(async () =>
    {
        var created = await FormOptions.CreateOnceAsync(mediator, this, Input.FormId, key => new LogIncident
        {
            IdempotencyKey = key,
            Caller = string.IsNullOrWhiteSpace(Input.Caller) ? null : Input.Caller.Trim(),
            ShortDescription = Input.ShortDescription ?? "",
            Description = Input.Description,
            Category = string.IsNullOrEmpty(Input.Category) ? null : Input.Category,
            Impact = Input.Impact,
            Urgency = Input.Urgency,
            AssignmentGroupId = Input.AssignmentGroupId,
            AssigneeId = string.IsNullOrEmpty(Input.AssigneeId) ? null : Input.AssigneeId,
        });
        if (created is null)
        {
            Input.FormId = Guid.NewGuid().ToString("N");
            return await LoadAsync();
        }
        this.SetStatusMessage($"{created.Number} was logged with priority {created.Priority.Label()}.");
        return RedirectToPage("/Incidents/Details", new { number = created.Number });
    }, LoadAsync, Fields);

    private async Task<IActionResult> LoadAsync()
    {
        Categories = await mediator.Send(new ListCategories());
        Groups = await mediator.Send(new ListAssignmentGroups());
        return Page();
    }

    public sealed class CreateInput
    {
        /// <summary>A one-time key of this form, so submitting it twice logs one incident.</summary>
        public string? FormId { get; set; }

        [Display(Name = "Caller (user name)")]
        public string? Caller { get; set; }

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

        [Display(Name = "Assignment group")]
        public Guid? AssignmentGroupId { get; set; }

        [Display(Name = "Assigned to")]
        public string? AssigneeId { get; set; }
    }
}
