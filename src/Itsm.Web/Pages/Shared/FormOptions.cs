using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Itsm.Application.Features.Incidents;
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
    /// Logs an incident once per form: the form's one-time id is the idempotency key and a hash of the request its
    /// body, so a double submit returns the first incident. Null (with an error on the page) when the same form was
    /// already used for a different incident, e.g. after going back and changing it.
    /// </summary>
    public static async Task<IncidentDetails?> LogOnceAsync(IMediator mediator, PageModel page, string? formId, LogIncident request)
    {
        if (!string.IsNullOrEmpty(formId))
            request = request with
            {
                IdempotencyKey = "form:" + formId,
                RequestHash = Hash(request.Caller, request.ShortDescription, request.Description, request.Category,
                    request.Impact, request.Urgency, request.AssignmentGroupId, request.AssigneeId),
            };
        try
        {
            return await mediator.Send(request);
        }
        catch (BusinessRuleException e) when (e.Rule == "idempotency-key-reused")
        {
            page.ModelState.AddModelError("", "This form was already used to log an incident. Check the fields and submit again to log a new one.");
            return null;
        }
    }

    /// <summary>A stable hash of a form's values, sent with its one-time key so a double submit logs one incident.</summary>
    public static string Hash(params object?[] values)
    {
        var text = string.Join("\u001f", values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
