using System.Globalization;
using Itsm.Application.Features.Reference;
using Itsm.Domain.Common;
using MediatR;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>Select options shared by the incident forms.</summary>
public static class FormOptions
{
    public static IEnumerable<SelectListItem> Levels(int selected) =>
        Display.Levels.Select(l => new SelectListItem(l.Label, l.Value.ToString(CultureInfo.InvariantCulture), l.Value == selected));

    public static IEnumerable<SelectListItem> Categories(IEnumerable<CategoryItem> categories, string? selected, string emptyLabel = "— None —") =>
        new[] { new SelectListItem(emptyLabel, "", string.IsNullOrEmpty(selected)) }
            .Concat(categories.Select(c => new SelectListItem(c.Label, c.Code, c.Code == selected)));

    public static IEnumerable<SelectListItem> Groups(IEnumerable<GroupItem> groups, Guid? selected, string emptyLabel) =>
        new[] { new SelectListItem(emptyLabel, "", selected is null) }
            .Concat(groups.Select(g => new SelectListItem(g.Name, g.Id.ToString(), g.Id == selected)));

    /// <summary>Assignees by group (an optgroup per group); the domain checks that the person is in the chosen group.</summary>
    public static IEnumerable<SelectListItem> Assignees(IEnumerable<GroupItem> groups, string? selected)
    {
        yield return new SelectListItem("— Unassigned —", "", string.IsNullOrEmpty(selected));
        var seen = false;
        foreach (var g in groups)
        {
            var optgroup = new SelectListGroup { Name = g.Name };
            foreach (var m in g.Members ?? [])
            {
                // One person may be in several groups: preselect only their first entry.
                var isSelected = !seen && m.Id == selected;
                seen |= isSelected;
                yield return new SelectListItem(m.DisplayName, m.Id, isSelected) { Group = optgroup };
            }
        }
    }

    /// <summary>
    /// Creates a ticket once per form: the form's one-time id is the idempotency key, so a double submit returns the
    /// first ticket. Null (with an error on the page) when the same form was already used for a different ticket,
    /// e.g. after going back and changing it.
    /// </summary>
    public static async Task<TDetails?> CreateOnceAsync<TDetails>(IMediator mediator, PageModel page, string? formId, Func<string?, IRequest<TDetails>> request)
        where TDetails : class
    {
        try
        {
            return await mediator.Send(request(string.IsNullOrEmpty(formId) ? null : "form:" + formId));
        }
        catch (BusinessRuleException e) when (e.Rule == "idempotency-key-reused")
        {
            page.ModelState.AddModelError("", "This form was already used to create a ticket. Check the fields and submit again to create a new one.");
            return null;
        }
    }
}
