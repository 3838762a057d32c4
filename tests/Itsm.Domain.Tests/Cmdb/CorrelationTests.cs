using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>
/// Incident correlation on a hand-built index: components on VMs behind access switches, which hang off one core
/// switch; a business service that depends on two components.
/// </summary>
public sealed class CorrelationTests
{
    private static readonly DateTimeOffset Past = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // 1 core switch; 2, 3 access switches on it; VMs 11, 12, 13 on switch 2, VM 14 on switch 3;
    // components 21..24 on VMs 11..14; service 31 depends on components 21 and 22.
    private const long Core = 1, Access = 2, OtherAccess = 3, Service = 31;
    private static readonly (long Id, string Class)[] Nodes =
    [
        (1, "network-device"), (2, "network-device"), (3, "network-device"),
        (11, "virtual-machine"), (12, "virtual-machine"), (13, "virtual-machine"), (14, "virtual-machine"),
        (21, "application-component"), (22, "application-component"), (23, "application-component"), (24, "application-component"),
        (31, "business-service"),
    ];
    private static readonly (long Source, string Type, long Target)[] Edges =
    [
        (2, "connects-to", 1), (3, "connects-to", 1),
        (11, "connects-to", 2), (12, "connects-to", 2), (13, "connects-to", 2), (14, "connects-to", 3),
        (21, "runs-on", 11), (22, "runs-on", 12), (23, "runs-on", 13), (24, "runs-on", 14),
        (31, "depends-on", 21), (31, "depends-on", 22),
    ];

    private static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    private static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    private static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    private static readonly Guid D = Guid.Parse("00000000-0000-0000-0000-00000000000d");

    private static (CmdbGraphIndex Index, CmdbModel Model) Build()
    {
        var root = new CiClass("configuration-item", "CI", null, true, false, [], null);
        var classes = new[] { "network-device", "virtual-machine", "application-component", "business-service" }
            .Select(c => new CiClass(c, c, root, false, false, [], null)).Prepend(root).ToList();
        var types = new[]
        {
            new RelationshipType("depends-on", "depends on", "used by", [], [], ImpactDirection.TargetToSource, false),
            new RelationshipType("runs-on", "runs on", "hosts", [], [], ImpactDirection.TargetToSource, false),
            new RelationshipType("connects-to", "connects to", "connected from", [], [], ImpactDirection.TargetToSource, false),
        };
        var model = new CmdbModel(classes, types, []);
        var index = new CmdbGraphIndex(model);
        index.Load(
            Nodes.Select(n => new GraphNodeRecord(n.Id, n.Class, CiStatus.Operational, 3, Past, null, false, null, null)),
            Edges.Select((e, i) => new GraphEdgeRecord(i + 1, e.Type, e.Source, e.Target, Past, null)),
            [], 1);
        return (index, model);
    }

    private static IReadOnlyList<CorrelationGroup> Correlate(long[] subject, CorrelationCandidate[] others, int hops)
    {
        var (index, _) = Build();
        return IncidentCorrelation.Correlate(subject, others, ci => index.Dependencies(ci, hops), n => n.ClassCode == "business-service");
    }

    [Test]
    public void Correlate_ThreeComponentsBehindOneAccessSwitch_ProposesTheNearestSharedSwitch()
    {
        var groups = Correlate([21], [new(B, 22), new(C, 23)], hops: 3);

        var best = groups[0];
        Assert.That(best.SharedCi.CiId, Is.EqualTo(Access), "the core also explains both, but the access switch is nearer");
        Assert.That(best.Incidents.Select(i => i.IncidentId), Is.EquivalentTo(new[] { B, C }));
        Assert.That(best.SubjectPath.Select(s => s.Node.CiId), Is.EqualTo(new long[] { 21, 11, 2 }));
        Assert.That(best.Incidents.Single(i => i.IncidentId == B).Path.Select(s => s.Node.CiId), Is.EqualTo(new long[] { 22, 12, 2 }));
        Assert.That(best.Incidents.Single(i => i.IncidentId == B).Path.Skip(1).Select(s => s.Via!.Value.TypeCode), Is.EqualTo(new[] { "runs-on", "connects-to" }));
        Assert.That(groups.Single(g => g.SharedCi.CiId == Core).Incidents.Select(i => i.IncidentId), Is.EquivalentTo(new[] { B, C }));
    }

    [Test]
    public void Correlate_TheGroupExplainingMostIncidents_ComesFirstEvenWhenFarther()
    {
        // Three hops reach the core from every component: it explains B, C and D; the access switch only B and C.
        var groups = Correlate([21], [new(B, 22), new(C, 23), new(D, 24)], hops: 3);

        Assert.That(groups[0].SharedCi.CiId, Is.EqualTo(Core));
        Assert.That(groups[0].Incidents, Has.Count.EqualTo(3));
    }

    [Test]
    public void Correlate_WithinTooFewHops_FindsNothing()
    {
        Assert.That(Correlate([21], [new(B, 22), new(C, 23)], hops: 1), Is.Empty, "the VMs differ; the switch is two hops up");
        Assert.That(Correlate([21], [new(B, 22), new(C, 23)], hops: 2).Select(g => g.SharedCi.CiId), Is.EqualTo(new[] { Access }));
    }

    [Test]
    public void Correlate_OnTheSameCi_GroupsThemAtDistanceZero()
    {
        var groups = Correlate([21], [new(B, 21)], hops: 3);

        Assert.That(groups[0].SharedCi.CiId, Is.EqualTo(21));
        Assert.That(groups[0].Distance, Is.Zero);
    }

    [Test]
    public void Correlate_ABusinessServiceSharedAsOftenAsInfrastructure_IsNotPreferred()
    {
        // Incidents on the service itself and on component 21: both "share" the service (distance 0 for one) and VM 11.
        var (index, _) = Build();
        var groups = IncidentCorrelation.Correlate([Service, 21], [new(B, 21)], ci => index.Dependencies(ci, 3), n => n.ClassCode == "business-service");

        Assert.That(groups[0].IsService, Is.False);
        Assert.That(groups[0].SharedCi.CiId, Is.EqualTo(21));
    }

    [Test]
    public void Correlate_WithoutOtherIncidentsOrSubjectCis_IsEmpty()
    {
        Assert.That(Correlate([21], [], hops: 3), Is.Empty);
        Assert.That(Correlate([], [new(B, 22)], hops: 3), Is.Empty);
        Assert.That(Correlate([999], [new(B, 22)], hops: 3), Is.Empty, "a CI the graph does not know shares nothing");
    }

    [Test]
    public void Correlate_AnIncidentWithSeveralCisUnderOneSharedCi_CountsOnceWithItsNearestPath()
    {
        var groups = Correlate([21], [new(B, 22), new(B, 12)], hops: 3);

        var access = groups.Single(g => g.SharedCi.CiId == Access);
        Assert.That(access.Incidents, Has.Count.EqualTo(1));
        Assert.That(access.Incidents[0].CiId, Is.EqualTo(12), "VM 12 is one hop from the switch, component 22 two");
    }
}
