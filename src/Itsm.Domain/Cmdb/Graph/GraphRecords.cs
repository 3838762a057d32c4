namespace Itsm.Domain.Cmdb.Graph;

/// <summary>What the index keeps of a CI.</summary>
public readonly record struct GraphNodeRecord(
    long CiId, string ClassCode, CiStatus Status, int Criticality, DateTimeOffset CreatedAt, Redundancy? Redundancy,
    bool Restricted, Guid? OwnerGroupId, Guid? SupportGroupId);

/// <summary>What the index keeps of a relationship: its ends, type and lifetime.</summary>
public readonly record struct GraphEdgeRecord(
    long RelationshipId, string TypeCode, long SourceId, long TargetId, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt);

/// <summary>A CI's status changed at <see cref="At"/>; it was <see cref="Before"/> until then (for as-of reads).</summary>
public readonly record struct GraphStatusChange(long CiId, DateTimeOffset At, CiStatus Before);

/// <summary>A CI as the index sees it at some time.</summary>
public readonly record struct GraphNode(
    long CiId, string ClassCode, CiStatus Status, int Criticality, bool Restricted, Guid? OwnerGroupId, Guid? SupportGroupId,
    Redundancy? Redundancy);

/// <summary>A relationship as the index sees it.</summary>
public readonly record struct GraphEdge(long RelationshipId, string TypeCode, long SourceId, long TargetId);
