namespace Itsm.Application.Common;

/// <summary>
/// Personal links to the change calendar's ICS feed: a calendar program cannot sign in, so the link carries a secret.
/// Only its hash is kept; a person has at most one live link, and can revoke it.
/// </summary>
public interface ICalendarFeedLinks
{
    /// <summary>A new secret for the user; any earlier link of theirs stops working.</summary>
    Task<string> IssueAsync(string userId, CancellationToken ct);

    /// <summary>Revokes the user's link; false when they had none.</summary>
    Task<bool> RevokeAsync(string userId, CancellationToken ct);

    /// <summary>When the user's live link was made, if they have one.</summary>
    Task<DateTimeOffset?> ActiveSinceAsync(string userId, CancellationToken ct);

    /// <summary>The user a live secret belongs to, or null (unknown, revoked, or the account is locked out).</summary>
    Task<string?> UserOfAsync(string secret, CancellationToken ct);
}
