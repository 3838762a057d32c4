using Itsm.Infrastructure.Identity;

namespace Itsm.Web.Auth;

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
