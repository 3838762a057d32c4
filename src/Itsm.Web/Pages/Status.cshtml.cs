using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages;

/// <summary>A friendly page for an error status code (the target of status-code re-execution, e.g. /Status/404).</summary>
[AllowAnonymous]
public sealed class StatusModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code)
    {
        Code = code is >= 400 and <= 599 ? code : 404;
        Response.StatusCode = Code;
    }
}
