namespace Itsm.Domain.Cmdb;

/// <summary>What a changeset did to one CI field or one relationship. Undone newest first, they give the past.</summary>
public sealed class CmdbChangeEntry
{
    public const string CiCreated = "ci-created";
    public const string CiUpdated = "ci-updated";
    public const string RelationshipCreated = "relationship-created";
    public const string RelationshipDeleted = "relationship-deleted";

    private CmdbChangeEntry() { }

    private CmdbChangeEntry(long changesetId, long? ciId, long? relationshipId, string kind, string? field, string? oldValue, string? newValue)
    {
        ChangesetId = changesetId;
        CiId = ciId;
        RelationshipId = relationshipId;
        Kind = kind;
        Field = field;
        OldValue = oldValue;
        NewValue = newValue;
    }

    public long Id { get; private set; }
    public long ChangesetId { get; private set; }
    public long? CiId { get; private set; }
    public long? RelationshipId { get; private set; }
    public string Kind { get; private set; } = "";
    public string? Field { get; private set; }
    public string? OldValue { get; private set; }
    public string? NewValue { get; private set; }

    public static CmdbChangeEntry Created(long changesetId, ConfigurationItem ci) =>
        new(changesetId, ci.Id, null, CiCreated, null, null, ci.Name);

    public static CmdbChangeEntry Updated(long changesetId, long ciId, string field, string? oldValue, string? newValue) =>
        new(changesetId, ciId, null, CiUpdated, field, oldValue, newValue);

    public static CmdbChangeEntry Linked(long changesetId, Relationship r) =>
        new(changesetId, r.SourceId, r.Id, RelationshipCreated, r.TypeCode, null, r.TargetId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A relationship entry's target CI (its source is <see cref="CiId"/>): the new value of a link, the old of an unlink.</summary>
    public long? RelationshipTargetId() =>
        RelationshipId is not null && long.TryParse(NewValue ?? OldValue, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;

    public static CmdbChangeEntry Unlinked(long changesetId, Relationship r) =>
        new(changesetId, r.SourceId, r.Id, RelationshipDeleted, r.TypeCode, r.TargetId.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
}
