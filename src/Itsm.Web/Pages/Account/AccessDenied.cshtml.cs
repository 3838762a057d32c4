using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Account;

/// <summary>Where the cookie handler sends a signed-in person who lacks the role for a page or action.</summary>
[AllowAnonymous]
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
