using Itsm.Application.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages;

/// <summary>The start page: the service desk goes to its queues, everyone else to their tickets.</summary>
public class IndexModel(ICurrentUser user) : PageModel
{
    public IActionResult OnGet() => RedirectToPage(user.Actor.IsFulfiller ? "/Incidents/Index" : "/Portal/Index");
}
