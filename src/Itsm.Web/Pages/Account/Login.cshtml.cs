using System.ComponentModel.DataAnnotations;
using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Itsm.Web.Auth;

namespace Itsm.Web.Pages.Account;

/// <summary>
/// Signs in with a local account; repeated failures lock the account for a while (Identity's lockout), and sign-ins
/// are rate-limited per client address and per user name (<see cref="SignInRateLimitOptions"/>).
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(SignInRateLimiting.Policy)]
public sealed class LoginModel(CredentialCheck credentials, SignInManager<ItsmUser> signIn) : PageModel
{
    [BindProperty]
    public LoginInput Input { get; set; } = new();

    /// <summary>Where to go after signing in; only local URLs are followed.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Input.UserName)) ModelState.AddModelError("Input.UserName", "Enter your user name.");
        if (string.IsNullOrEmpty(Input.Password)) ModelState.AddModelError("Input.Password", "Enter your password.");
        if (!ModelState.IsValid) return Page();

        var check = await credentials.CheckAsync(Input.UserName!.Trim(), Input.Password!);
        if (check.User is { } user)
        {
            await signIn.SignInAsync(user, isPersistent: false);
            return LocalRedirect(SafeReturnUrl());
        }
        if (check.Result == CredentialResult.Throttled)
        {
            SignInRateLimiting.SetRetryAfter(Response, check.RetryAfter);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError("", SignInRateLimiting.Detail);
            return Page();
        }
        // One message for an unknown user name, a wrong password and a locked account: it must not tell which exist.
        ModelState.AddModelError("", CredentialOutcome.FailedDetail);
        return Page();
    }

    private string SafeReturnUrl() => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/";

    public sealed class LoginInput
    {
        [Display(Name = "User name")]
        public string? UserName { get; set; }

        [Display(Name = "Password")]
        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }
}
