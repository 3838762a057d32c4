using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Itsm.Web.Auth;

public enum CredentialResult { Valid, Invalid, Throttled }

/// <summary>The outcome of a sign-in: the user only when <see cref="CredentialResult.Valid"/>.</summary>
public sealed record CredentialOutcome(CredentialResult Result, ItsmUser? User = null, TimeSpan RetryAfter = default)
{
    /// <summary>
    /// The one answer to every failed sign-in, whether the user name is unknown, the password wrong or the account
    /// locked out, so the answer does not tell which user names exist.
    /// </summary>
    public const string FailedTitle = "Sign-in failed.";

    public const string FailedDetail =
        "Unknown user name or wrong password, or the account is locked for a while after too many failed sign-ins.";
}

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

/// <summary>A hash of a random password, made once per process by the app's own hasher (the same cost as a real one).</summary>
public sealed class DummyPasswordHash
{
    private static readonly ItsmUser Nobody = new() { Id = "dummy", UserName = "dummy" };
    private readonly string _hash;

    public DummyPasswordHash(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        _hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<ItsmUser>>()
            .HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }

    /// <summary>Verifies the password against the dummy hash: the work of a real check, always a failure.</summary>
    public void Verify(IPasswordHasher<ItsmUser> hasher, string password) => hasher.VerifyHashedPassword(Nobody, _hash, password);
}
