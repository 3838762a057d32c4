using System.ComponentModel.DataAnnotations;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Account;

/// <summary>Signs in with a local account; repeated failures lock the account for a while (Identity's lockout).</summary>
[AllowAnonymous]
public sealed class LoginModel(SignInManager<ItsmUser> signIn, UserManager<ItsmUser> users, IClock clock) : PageModel
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

        var userName = Input.UserName!.Trim();
        var result = await signIn.PasswordSignInAsync(userName, Input.Password!, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return LocalRedirect(SafeReturnUrl());

        if (result.IsLockedOut) ModelState.AddModelError("", await LockedOutMessageAsync(userName));
        else if (result.IsNotAllowed) ModelState.AddModelError("", "This account may not sign in. Ask the service desk for help.");
        else ModelState.AddModelError("", "Unknown user name or wrong password.");
        return Page();
    }

    private string SafeReturnUrl() => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "~/";

    private async Task<string> LockedOutMessageAsync(string userName)
    {
        const string Locked = "This account is locked after too many failed sign-in attempts.";
        var user = await users.FindByNameAsync(userName);
        var end = user is null ? null : await users.GetLockoutEndDateAsync(user);
        if (end is not { } until || until <= clock.UtcNow) return Locked + " Try again later.";
        var minutes = Math.Max(1, (int)Math.Ceiling((until - clock.UtcNow).TotalMinutes));
        return $"{Locked} Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
    }

    public sealed class LoginInput
    {
        [Display(Name = "User name")]
        public string? UserName { get; set; }

        [Display(Name = "Password")]
        [DataType(DataType.Password)]
        public string? Password { get; set; }
    }
}
