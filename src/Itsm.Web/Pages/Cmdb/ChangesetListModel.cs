using Itsm.Application.Features.Cmdb;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>The model of the _Changesets partial: the changesets, and the CI whose page shows them (null elsewhere).</summary>
public sealed record ChangesetListModel(IReadOnlyList<ChangesetView> Items, long? CiId)
{
    /// <summary>One change entry in words.</summary>
    public static string Describe(ChangeEntryView e) => e.Kind switch
    {
        "ci-created" => $"Registered {e.CiName ?? "CI " + e.CiId}",
        "ci-updated" => $"{e.Field}: {e.OldValue ?? "—"} → {e.NewValue ?? "—"}",
        "relationship-created" => $"Related: {e.CiName ?? "CI " + e.CiId} {e.RelationshipName ?? e.Field} {e.OtherCiName ?? "CI " + e.NewValue}",
        "relationship-deleted" => $"Relationship ended: {e.CiName ?? "CI " + e.CiId} {e.RelationshipName ?? e.Field} {e.OtherCiName ?? "CI " + e.OldValue}",
        _ => $"{e.Kind} {e.Field}",
    };
}
