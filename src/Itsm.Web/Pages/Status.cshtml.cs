using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages;

/// <summary>
/// A friendly page for an error status code, the target of status-code re-execution (/Status/404). A re-executed
/// request keeps its method, so POST is answered too, without an anti-forgery check (it may be what failed).
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        Response.StatusCode = Code;
    }

    public void OnPost(int code) => OnGet(code);
}
