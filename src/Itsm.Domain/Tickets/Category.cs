namespace Itsm.Domain.Tickets;

/// <summary>A ticket category; its assignment rule names the group new tickets of it go to.</summary>
public class Category(string code, string label, Guid? defaultGroupId)
{
    public string Code { get; private set; } = code;
    public string Label { get; private set; } = label;
    /// <summary>The assignment rule: tickets of this category go to this group unless one is given.</summary>
    public Guid? DefaultGroupId { get; private set; } = defaultGroupId;

    public void Route(Guid? groupId) => DefaultGroupId = groupId;
    public void Relabel(string label) => Label = label;
}
