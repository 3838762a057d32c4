using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Account;

/// <summary>Signs out on POST only (with anti-forgery), so a link or an image cannot sign anybody out; GET asks first.</summary>
public sealed class LogoutModel(SignInManager<ItsmUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
