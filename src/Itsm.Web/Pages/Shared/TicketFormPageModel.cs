using Itsm.Application.Features.Reference;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// A create or edit form of a ticket: binds <typeparamref name="TInput"/> and loads the categories and groups its
/// selects offer. The module's page sends the use case.
/// </summary>
public abstract class TicketFormPageModel<TInput>(IMediator mediator) : PageModel, ITicketForm where TInput : TicketFormInput, new()
{
    /// <summary>Domain field keys → the inputs that show their errors.</summary>
    public static readonly IReadOnlyDictionary<string, string> CommonFields = PageModelExtensions.FieldMap(
        ("shortDescription", "Input.ShortDescription"), ("description", "Input.Description"), ("category", "Input.Category"),
        ("impact", "Input.Impact"), ("urgency", "Input.Urgency"),
        ("assignmentGroupId", "Input.AssignmentGroupId"), ("assigneeId", "Input.AssigneeId"), ("assignee", "Input.AssigneeId"),
        ("priority", "Input.PriorityOverride"), ("priorityOverride", "Input.PriorityOverride"),
        ("priorityOverrideReason", "Input.PriorityOverrideReason"));

    [BindProperty]
    public TInput Input { get; set; } = new();

    TicketFormInput ITicketForm.Input => Input;
    public IReadOnlyList<CategoryItem> Categories { get; private set; } = [];
    public IReadOnlyList<GroupItem> Groups { get; private set; } = [];
    public IMediator Mediator => mediator;

    /// <summary>The first choice of the group select ("— None —").</summary>
    protected virtual string NoGroupLabel => "— None —";
    public virtual string? GroupHelp => null;
    public IEnumerable<SelectListItem> GroupOptions => FormOptions.Groups(Groups, Input.AssignmentGroupId, NoGroupLabel);

    /// <summary>Loads the options of the form's selects.</summary>
    protected async Task LoadOptionsAsync()
    {
        Categories = await mediator.Send(new ListCategories());
        Groups = await mediator.Send(new ListAssignmentGroups());
    }

    /// <summary>A field map of the common fields and the module's own.</summary>
    protected static IReadOnlyDictionary<string, string> FieldsWith(params (string Field, string Input)[] more) =>
        PageModelExtensions.FieldMap(CommonFields.Select(kv => (kv.Key, kv.Value)).Concat(more).ToArray());
}
