namespace Itsm.Domain.Changes.Approvals;

/// <summary>The groups and people approvers are drawn from. Synchronous: the application keeps them in memory.</summary>
public interface IApproverDirectory
{
    ApproverGroup? GroupById(Guid id);
    ApproverGroup? GroupByName(string name);
    ApproverPerson? PersonByUserName(string userName);
}

/// <summary>A group that may approve as a whole (any member decides for it) or through each of its members.</summary>
public sealed record ApproverGroup(Guid Id, string Name, IReadOnlyList<ApproverPerson> Members);

public sealed record ApproverPerson(string UserId, string UserName, string DisplayName);
