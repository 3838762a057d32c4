namespace Itsm.Domain.Tickets;

/// <summary>A team that tickets are assigned to; its members may be assignees.</summary>
public class AssignmentGroup
{
    private readonly List<GroupMember> _members = [];

    private AssignmentGroup() { }

    public AssignmentGroup(Guid id, string name, string? description = null)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A group needs a name.", nameof(name));
        Id = id;
        Name = name.Trim();
        Description = description;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public IReadOnlyCollection<GroupMember> Members => _members;

    public bool HasMember(string userId) => _members.Any(m => m.UserId == userId);

    public void AddMember(string userId)
    {
        if (!HasMember(userId)) _members.Add(new GroupMember(Id, userId));
    }
}
