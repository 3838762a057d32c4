using Itsm.Domain.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// The one place where pages turn domain exceptions into what a person sees (DESIGN.md §3, "pages show the same
/// errors in ModelState"): field errors next to their input, broken rules and concurrency conflicts at the top of
/// the form (with a reload link), "not found" as a friendly 404 page and "forbidden" as a 403 challenge.
/// </summary>
public static class PageModelExtensions
{
    /// <summary>ViewData key of the URL that reloads the record after a concurrency conflict (read by _FormErrors).</summary>
    public const string ReloadUrlKey = "Itsm.ReloadUrl";

    /// <summary>TempData key of the one-line success message the layout shows after a redirect.</summary>
    public const string StatusMessageKey = "StatusMessage";

    /// <summary>
    /// Sends a use case. Invalid bound input, field errors, broken rules and concurrency conflicts go to ModelState
    /// and <paramref name="redisplay"/> renders the form again; not found and forbidden end the request.
    /// </summary>
    /// <param name="fields">Maps a domain field key ("shortDescription", "fields.resolutionCode") to the ModelState key of
    /// its input ("Input.ShortDescription"); keys not in the map are shown at the top of the form.</param>
    public static async Task<IActionResult> SendAsync(this PageModel page, Func<Task<IActionResult>> send,
        Func<Task<IActionResult>> redisplay, IReadOnlyDictionary<string, string>? fields = null)
    {
        if (!page.ModelState.IsValid) return await page.LoadAsync(redisplay);
        try
        {
            return await send();
        }
        catch (Exception e) when (page.TryAddErrors(e, fields))
        {
            return await page.LoadAsync(redisplay);
        }
        catch (NotFoundException)
        {
            return page.NotFoundPage();
        }
        catch (ForbiddenException)
        {
            return page.Forbid();
        }
    }

    /// <summary>Runs a query for a page: not found and forbidden end the request, anything else is a real error.</summary>
    public static async Task<IActionResult> LoadAsync(this PageModel page, Func<Task<IActionResult>> load)
    {
        try
        {
            return await load();
        }
        catch (NotFoundException)
        {
            return page.NotFoundPage();
        }
        catch (ForbiddenException)
        {
            return page.Forbid();
        }
    }

    /// <summary>A 404 with the friendly "not found" page, inside the layout.</summary>
    public static IActionResult NotFoundPage(this PageModel page) =>
        new ViewResult { ViewName = "_NotFound", StatusCode = StatusCodes.Status404NotFound };

    /// <summary>Sets the success message shown once, after the next redirect.</summary>
    public static void SetStatusMessage(this PageModel page, string message) => page.TempData[StatusMessageKey] = message;

    /// <summary>Adds the errors a domain exception carries to ModelState; false when it is not a form error.</summary>
    public static bool TryAddErrors(this PageModel page, Exception exception, IReadOnlyDictionary<string, string>? fields = null)
    {
        var modelState = page.ModelState;
        switch (exception)
        {
            case FieldValidationException v:
                foreach (var (field, messages) in v.Errors)
                {
                    var key = fields is not null && fields.TryGetValue(field, out var mapped) ? mapped : "";
                    foreach (var message in messages) modelState.AddModelError(key, message);
                }
                return true;
            case BusinessRuleException b:
                modelState.AddModelError("", b.Message);
                return true;
            case ConcurrencyConflictException or DbUpdateConcurrencyException:
                modelState.AddModelError("",
                    "Someone else changed this record while you were working on it, so your change was not saved. " +
                    "Reload it to see their changes, then try again.");
                page.ViewData[ReloadUrlKey] = (page.Request.PathBase + page.Request.Path).ToUriComponent();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A case-insensitive field map from (domain key, input key) pairs.</summary>
    public static IReadOnlyDictionary<string, string> FieldMap(params (string Field, string Input)[] pairs) =>
        pairs.ToDictionary(p => p.Field, p => p.Input, StringComparer.OrdinalIgnoreCase);
}
