namespace Itsm.Domain.Changes.Approvals;

/// <summary>
/// What deciding an approval needs to know about the change and the people: its requester and implementer (who may
/// not approve it), group membership, and the delegations in force.
/// </summary>
/// <param name="IsMember">Whether the user (second argument) belongs to the group (first argument).</param>
public sealed record ApproverContext(
    string RequesterId,
    string? ImplementerId,
    Func<Guid, string, bool> IsMember,
    IReadOnlyList<ApprovalDelegation> Delegations)
{
    /// <summary>Whether the user requested or implements the change.</summary>
    public bool IsOwnChange(string userId) => userId == RequesterId || (ImplementerId is not null && userId == ImplementerId);
}
