namespace Itsm.Domain.Identity;

public static class Roles
{
    public const string Requester = "Requester";
    public const string Agent = "Agent";
    public const string ProblemManager = "ProblemManager";
    public const string ChangeManager = "ChangeManager";
    public const string CabMember = "CabMember";
    public const string Engineer = "Engineer";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All =
        [Requester, Agent, ProblemManager, ChangeManager, CabMember, Engineer, Admin];

    /// <summary>Roles that work tickets for others (see every ticket, read work notes).</summary>
    public static readonly IReadOnlyList<string> Fulfillers =
        [Agent, ProblemManager, ChangeManager, CabMember, Engineer, Admin];
}

/// <summary>Who is acting: the signed-in person, their roles and the assignment groups they belong to.</summary>
public sealed record Actor(string UserId, string UserName, IReadOnlySet<string> Roles, IReadOnlySet<Guid> GroupIds)
{
    public static Actor System { get; } = new("system", "system", new HashSet<string> { Identity.Roles.Admin }, new HashSet<Guid>());

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>A fulfiller sees all tickets and work notes; a pure requester only their own tickets and public comments.</summary>
    public bool IsFulfiller => Identity.Roles.Fulfillers.Any(Roles.Contains);
}
