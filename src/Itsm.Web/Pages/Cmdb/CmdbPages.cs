using System.Globalization;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>What the CMDB pages share: who may open them, how statuses look, and the JSON the graph widget reads.</summary>
public static class CmdbPages
{
    /// <summary>The readers of <see cref="CmdbAccess.Readers"/>, as an [Authorize] role list; requesters see nothing of the CMDB.</summary>
    public const string Readers = "Agent,ProblemManager,ChangeManager,CabMember,Engineer,Admin";
    public const string Writers = "Engineer,Admin";

    public static string StatusClass(string? status) =>
        "ci-status ci-status-" + (status ?? "restricted").ToLowerInvariant().Replace(' ', '-');

    public static string CriticalityLabel(int? c) => c switch
    {
        1 => "1 Critical",
        2 => "2 High",
        3 => "3 Medium",
        4 => "4 Low",
        null => "—",
        _ => c.Value.ToString(CultureInfo.InvariantCulture),
    };

    public static IEnumerable<SelectListItem> Criticalities(int selected) =>
        Enumerable.Range(1, 4).Select(c => new SelectListItem(CriticalityLabel(c), c.ToString(CultureInfo.InvariantCulture), c == selected));

    /// <summary>Classes as a select, subclasses indented under their parent (searching a class includes its subclasses).</summary>
    public static IEnumerable<SelectListItem> ClassOptions(IReadOnlyList<CiClassView> classes, string? selected, string emptyLabel, bool concreteOnly)
    {
        yield return new SelectListItem(emptyLabel, "", string.IsNullOrEmpty(selected));
        foreach (var (cls, depth) in Tree(classes, null, 0))
        {
            if (concreteOnly && cls.Abstract) continue;
            var indent = new string('\u00a0', (concreteOnly ? Math.Max(0, depth - 1) : depth) * 3);
            yield return new SelectListItem(indent + cls.Name + (cls.Abstract && !concreteOnly ? " (all)" : ""), cls.Code,
                string.Equals(cls.Code, selected, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static IEnumerable<(CiClassView, int)> Tree(IReadOnlyList<CiClassView> classes, string? parent, int depth)
    {
        foreach (var c in classes.Where(c => c.Parent == parent).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            yield return (c, depth);
            foreach (var child in Tree(classes, c.Code, depth + 1)) yield return child;
        }
    }

    /// <summary>
    /// Answers a page handler the graph widget calls with JSON, the same problem details the API gives: the JSON API
    /// takes bearer tokens only, so the signed-in page serves the widget its data from the same MediatR request.
    /// </summary>
    public static async Task<IActionResult> JsonAsync(this PageModel page, Func<Task<object>> send)
    {
        try
        {
            return new JsonResult(await send());
        }
        catch (FieldValidationException e)
        {
            return new BadRequestObjectResult(new ValidationProblemDetails(e.Errors.ToDictionary(kv => kv.Key, kv => kv.Value))
            {
                Status = 400, Title = "The request is not valid.",
            });
        }
        catch (NotFoundException)
        {
            return new NotFoundObjectResult(new ProblemDetails { Status = 404, Title = "Not found." });
        }
        catch (ForbiddenException)
        {
            return new ObjectResult(new ProblemDetails { Status = 403, Title = "Forbidden." }) { StatusCode = 403 };
        }
    }

    /// <summary>"Showing 1–50 of 118 CIs".</summary>
    public static string Showing<T>(Itsm.Application.Common.Page<T> page, string noun)
    {
        if (page.Total == 0) return "No " + noun;
        var first = (page.PageNumber - 1) * page.PageSize + 1;
        var last = Math.Min(page.Total, first + page.Items.Count - 1);
        return page.Items.Count == 0 ? $"Showing none of {page.Total} {noun}" : $"Showing {first}–{last} of {page.Total} {noun}";
    }
}

/// <summary>What the _CmdbGraph partial needs: where the widget gets a neighbourhood, and optionally an impact to highlight.</summary>
public sealed record CmdbGraphModel(string GraphUrl, string ExpandUrlTemplate, string? HighlightUrl, string Label);
