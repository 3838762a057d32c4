namespace Itsm.Application.Features.Cmdb;

/// <summary>A CI in a list, a graph or a path. A restricted CI the caller may not see has only its id and <see cref="Restricted"/>.</summary>
public sealed record CiSummary(
    long Id, string Name, string? Class, string? ClassName, string? Status, int? Criticality, bool Restricted, int OpenIncidents = 0);

public sealed record CiAttributeView(string Name, string? Value, string Type, bool Required);

public sealed record CiDetails(
    long Id, string Name, string Class, string ClassName, string Status, string? Environment, int Criticality,
    Guid? OwnerGroupId, string? OwnerGroup, Guid? SupportGroupId, string? SupportGroup, bool Restricted, string? Redundancy,
    IReadOnlyList<CiAttributeView> Attributes, string? Source, string? NativeKey,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version, DateTimeOffset? AsOf);

/// <summary>A relationship seen from one CI: "this CI &lt;phrase&gt; other".</summary>
public sealed record CiRelationshipView(long Id, string Type, string Phrase, bool Outgoing, CiSummary Other);

public sealed record RelationshipView(long Id, string Type, string Name, string Inverse, CiSummary Source, CiSummary Target,
    DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt);

public sealed record GraphNodeView(
    long Id, string Name, string? Class, string? ClassName, string? Status, int? Criticality, int OpenIncidents, bool Restricted);

public sealed record GraphEdgeView(long Id, long Source, long Target, string Type, string Name, string Inverse);

public sealed record GraphView(long Center, IReadOnlyList<GraphNodeView> Nodes, IReadOnlyList<GraphEdgeView> Edges, bool Truncated, DateTimeOffset? AsOf);

/// <summary>One step of an explanation path: the CI, and the relationship that carried impact into it from the step before.</summary>
public sealed record PathStepView(CiSummary Ci, string? Relationship, string? Phrase);

public sealed record ImpactItemView(CiSummary Ci, int Depth, string? Redundancy, IReadOnlyList<PathStepView> Path);

/// <param name="TotalServices">The impacted business services the caller may see; <paramref name="Services"/> may show only the most critical.</param>
public sealed record ImpactView(
    IReadOnlyList<CiSummary> Start, int Depth, int TotalImpacted, int HiddenImpacted, bool DepthLimited,
    IReadOnlyList<ImpactItemView> Services, int TotalServices, IReadOnlyList<ImpactItemView> Impacted, int PageNumber, int PageSize, DateTimeOffset? AsOf);

public sealed record ChangeEntryView(string Kind, long? CiId, string? CiName, long? RelationshipId, string? Field, string? OldValue, string? NewValue)
{
    /// <summary>For a relationship entry: the other end's name, and the type as people read it ("runs on").</summary>
    public string? OtherCiName { get; init; }
    public string? RelationshipName { get; init; }
}

public sealed record ChangesetView(long Id, DateTimeOffset At, string Actor, string? Reason, string? ChangeNumber, string? Source, string? UnauthorisedReason,
    IReadOnlyList<ChangeEntryView> Entries);
