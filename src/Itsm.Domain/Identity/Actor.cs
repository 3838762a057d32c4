namespace Itsm.Domain.Identity;

/// <summary>Who is acting: the signed-in person, their roles and the assignment groups they belong to.</summary>
public sealed record Actor(string UserId, string UserName, IReadOnlySet<string> Roles, IReadOnlySet<Guid> GroupIds)
{
    public static Actor System { get; } = new("system", "system", new HashSet<string> { Identity.Roles.Admin }, new HashSet<Guid>());

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>A fulfiller sees all tickets and work notes; a pure requester only their own tickets and public comments.</summary>
    public bool IsFulfiller => Identity.Roles.Fulfillers.Any(Roles.Contains);
}
