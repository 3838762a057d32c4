using Itsm.Application.Features.Reference;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>What the _TicketFormFields partials read: the form's input and the options of its selects.</summary>
public interface ITicketForm
{
    TicketFormInput Input { get; }
    IReadOnlyList<CategoryItem> Categories { get; }
    IReadOnlyList<GroupItem> Groups { get; }
    IEnumerable<SelectListItem> GroupOptions { get; }
    /// <summary>A hint under the assignment group, if any.</summary>
    string? GroupHelp { get; }
}
