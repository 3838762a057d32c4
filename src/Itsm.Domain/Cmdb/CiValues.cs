namespace Itsm.Domain.Cmdb;

/// <summary>
/// Every value of a CI, as a writer proposes it (a create, or an update already merged onto the current values).
/// Attribute values are in their stored spelling once <see cref="CiValidation"/> has accepted them.
/// </summary>
public sealed record CiValues
{
    public required string Name { get; init; }
    public CiStatus Status { get; init; } = CiStatus.Operational;
    public string? Environment { get; init; }
    public int Criticality { get; init; } = 3;
    public Guid? OwnerGroupId { get; init; }
    public Guid? SupportGroupId { get; init; }
    public bool Restricted { get; init; }
    public Redundancy? Redundancy { get; init; }
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}
