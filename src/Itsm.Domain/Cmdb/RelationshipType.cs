namespace Itsm.Domain.Cmdb;

/// <summary>
/// A relationship type from seed-data/reference/cmdb-relationship-types.yaml. "A <see cref="Name"/> B" reads from the
/// source, "B <see cref="Inverse"/> A" from the target. <see cref="Sources"/> and <see cref="Targets"/> are empty when
/// any class is allowed. <see cref="CountsAsMembers"/>: its sources are the members a redundancy rule counts.
/// </summary>
public sealed record RelationshipType(
    string Code, string Name, string Inverse, IReadOnlyList<CiClass> Sources, IReadOnlyList<CiClass> Targets,
    ImpactDirection Impact, bool CountsAsMembers)
{
    public bool AllowsSource(CiClass c) => Sources.Count == 0 || Sources.Any(c.IsA);
    public bool AllowsTarget(CiClass c) => Targets.Count == 0 || Targets.Any(c.IsA);

    public string AllowedList(IReadOnlyList<CiClass> classes) =>
        classes.Count == 0 ? "any class" : string.Join(", ", classes.Select(c => c.Code));
}
