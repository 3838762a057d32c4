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
