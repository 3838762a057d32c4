using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Itsm.Web.Auth;

/// <summary>
/// Checks a user name and password for the login page and POST /api/v1/auth/token alike. Every attempt costs exactly
/// one password-hash verification: against the account's hash, or against a dummy hash when the user name is unknown,
/// the account is locked out or may not sign in. So an unknown user name is not answered faster than a wrong
/// password, and a locked account is not answered faster than an open one. Identity's lockout counts the failures of
/// real accounts; <see cref="SignInThrottle"/> limits attempts per user name.
/// </summary>
public sealed class CredentialCheck(UserManager<ItsmUser> users, SignInManager<ItsmUser> signIn, IPasswordHasher<ItsmUser> hasher,
    SignInThrottle throttle, DummyPasswordHash dummy)
{
    public async Task<CredentialOutcome> CheckAsync(string userName, string password)
    {
        if (!throttle.TryAcquire(userName, out var retryAfter)) return new CredentialOutcome(CredentialResult.Throttled, RetryAfter: retryAfter);

        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null || await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user) || user.PasswordHash is null)
        {
            dummy.Verify(hasher, password);
            return new CredentialOutcome(CredentialResult.Invalid);
        }
        // The account is open, so this verifies the password (one hash) and counts a failure towards its lockout.
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return result.Succeeded ? new CredentialOutcome(CredentialResult.Valid, user) : new CredentialOutcome(CredentialResult.Invalid);
    }
}
