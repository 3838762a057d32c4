namespace Itsm.Domain.Tickets;

public class GroupMember(Guid groupId, string userId)
{
    public Guid GroupId { get; private set; } = groupId;
    public string UserId { get; private set; } = userId;
}
