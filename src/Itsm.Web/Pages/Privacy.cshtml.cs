using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages;

public class PrivacyModel : PageModel
{
    public void OnGet()
    {
    }
}

