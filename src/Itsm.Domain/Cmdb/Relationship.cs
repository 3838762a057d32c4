using Itsm.Domain.Common;

namespace Itsm.Domain.Cmdb;

/// <summary>"Source &lt;type&gt; target", alive from <see cref="CreatedAt"/> until <see cref="DeletedAt"/>; never removed.</summary>
public sealed class Relationship
{
    private Relationship() { }

    public long Id { get; private set; }
    public string TypeCode { get; private set; } = "";
    public long SourceId { get; private set; }
    public long TargetId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public long CreatedChangesetId { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }
    public long? DeletedChangesetId { get; private set; }

    public bool IsAlive => DeletedAt is null;

    /// <summary>Links two CIs, if the type allows their classes. Retired CIs take no new relationships.</summary>
    public static Relationship Link(RelationshipType type, ConfigurationItem source, CiClass sourceClass,
        ConfigurationItem target, CiClass targetClass, CmdbChangeset changeset)
    {
        if (source.Id == target.Id)
            throw new BusinessRuleException("relationship-to-itself", "A CI cannot be related to itself.");
        if (!type.AllowsSource(sourceClass))
            throw new BusinessRuleException("relationship-class-not-allowed",
                $"A {sourceClass.Code} cannot be the source of '{type.Name}': allowed sources are {type.AllowedList(type.Sources)}.");
        if (!type.AllowsTarget(targetClass))
            throw new BusinessRuleException("relationship-class-not-allowed",
                $"A {targetClass.Code} cannot be the target of '{type.Name}': allowed targets are {type.AllowedList(type.Targets)}.");
        if (source.Status == CiStatus.Retired || target.Status == CiStatus.Retired)
            throw new BusinessRuleException("ci-retired", "A retired CI takes no new relationships.");
        return new Relationship
        {
            TypeCode = type.Code,
            SourceId = source.Id,
            TargetId = target.Id,
            CreatedAt = changeset.At,
            CreatedChangesetId = changeset.Id,
        };
    }

    public void Delete(CmdbChangeset changeset)
    {
        if (DeletedAt is not null) throw new BusinessRuleException("relationship-deleted", "This relationship is already deleted.");
        DeletedAt = changeset.At;
        DeletedChangesetId = changeset.Id;
    }
}
