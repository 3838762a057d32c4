using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>Impact analysis over the in-process index: directions, redundancy, cycles, depth, retired CIs, paths, as-of.</summary>
public sealed class ImpactAnalysisTests
{
    private const long Service = 1, App = 2, Cluster = 10, Storage = 20;

    /// <summary>service → depends on app → runs on cluster ← members 11..(10+members).</summary>
    private static CmdbGraphIndex ClusterGraph(string rule, int members)
    {
        var g = new TestGraph()
            .Ci(Service, "business-service").Ci(App).Ci(Cluster, "cluster", redundancy: rule).Ci(Storage, "storage")
            .Link(Service, "depends-on", App).Link(App, "runs-on", Cluster);
        for (var i = 1; i <= members; i++) g.Ci(Cluster + i, "server").Link(Cluster + i, "member-of", Cluster);
        return g.Load();
    }

    private static long[] Members(int n) => Enumerable.Range(1, n).Select(i => Cluster + (long)i).ToArray();

    [Test]
    public void Impact_WhenOneOfThreeDownAndClusterNeedsTwo_ClusterIsNotImpacted()
    {
        var r = ClusterGraph("needs 2", 3).Impact(Members(1));
        Assert.That(r.Reached(), Is.Empty);
    }

    [Test]
    public void Impact_WhenTwoOfThreeDownAndClusterNeedsTwo_ClusterAndEverythingAboveIsImpacted()
    {
        var r = ClusterGraph("needs 2", 3).Impact(Members(2));
        Assert.That(r.Reached(), Is.EqualTo(new[] { Cluster, App, Service }));
        Assert.That(r.RedundancyCounts[r.IndexOf(Cluster)], Is.EqualTo((2, 3)), "2 of 3 members impacted");
        Assert.That(r.Nodes[r.IndexOf(Cluster)].Redundancy, Is.EqualTo(new Redundancy(2, false)));
    }

    [TestCase(2, false)]
    [TestCase(3, true)]
    public void Impact_WhenClusterNeedsFiftyPercentOfFour_IsImpactedOnlyWhenMoreThanTwoAreDown(int down, bool impacted)
    {
        // needed = ceil(4 × 50 / 100) = 2 up, so it can spare 2: impacted at 3 down.
        var r = ClusterGraph("50%", 4).Impact(Members(down));
        Assert.That(r.Reached().Contains(Cluster), Is.EqualTo(impacted));
        if (impacted) Assert.That(r.RedundancyCounts[r.IndexOf(Cluster)], Is.EqualTo((3, 4)));
    }

    [Test]
    public void Impact_WhenClusterRunsOnFailedStorage_IsImpactedDirectlyWhateverItsRedundancy()
    {
        var g = new TestGraph().Ci(Cluster, "cluster", redundancy: "needs 2").Ci(Storage, "storage")
            .Ci(11, "server").Ci(12, "server").Ci(13, "server")
            .Link(11, "member-of", Cluster).Link(12, "member-of", Cluster).Link(13, "member-of", Cluster)
            .Link(Cluster, "runs-on", Storage).Load();
        var r = g.Impact([Storage]);
        Assert.That(r.Reached(), Is.EqualTo(new[] { Cluster }), "only member edges count against the rule");
        Assert.That(r.RedundancyCounts[r.IndexOf(Cluster)], Is.EqualTo((0, 0)));
    }

    [Test]
    public void Impact_WhenRetiredMemberIsDown_ItIsNotCountedAsAMember()
    {
        // 3 members, one retired: of the 2 that count, "needs 2" spares none, so one down is enough.
        var g = new TestGraph().Ci(Cluster, "cluster", redundancy: "needs 2")
            .Ci(11, "server").Ci(12, "server").Ci(13, "server", CiStatus.Retired)
            .Link(11, "member-of", Cluster).Link(12, "member-of", Cluster).Link(13, "member-of", Cluster).Load();
        var r = g.Impact([11]);
        Assert.That(r.Reached(), Is.EqualTo(new[] { Cluster }));
        Assert.That(r.RedundancyCounts[r.IndexOf(Cluster)], Is.EqualTo((1, 2)));
    }

    [Test]
    public void Impact_WhenGraphHasACycle_TerminatesAndListsEachCiOnce()
    {
        var g = new TestGraph().Ci(1).Ci(2).Ci(3).Link(1, "depends-on", 2).Link(2, "depends-on", 1).Link(3, "depends-on", 1).Link(1, "depends-on", 3).Load();
        var r = g.Impact([1]);
        Assert.That(r.Ids(), Is.EquivalentTo(new long[] { 1, 2, 3 }));
        Assert.That(r.Ids(), Is.Unique);
    }

    [Test]
    public void Impact_WhenDepthLimitStopsTheWalk_SaysSoAndReachesNothingBeyond()
    {
        // 5 depends on 4 depends on … on 1.
        var g = new TestGraph().Ci(1).Ci(2).Ci(3).Ci(4).Ci(5);
        for (var i = 2; i <= 5; i++) g.Link(i, "depends-on", i - 1);
        var index = g.Load();

        var limited = index.Impact([1], maxDepth: 2);
        var full = index.Impact([1], maxDepth: 4);

        Assert.That(limited.Reached(), Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(limited.Depths.Skip(1), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(limited.DepthLimited, Is.True);
        Assert.That(full.Reached(), Is.EqualTo(new long[] { 2, 3, 4, 5 }));
        Assert.That(full.DepthLimited, Is.False, "nothing was left beyond the last CI");
    }

    [TestCase("depends-on", "application", "database", false, true)]
    [TestCase("runs-on", "application", "server", false, true)]
    [TestCase("connects-to", "server", "network-device", false, true)]
    [TestCase("member-of", "server", "cluster", true, false)]
    [TestCase("contains", "rack", "server", true, false)]
    [TestCase("documented-by", "application", "application", false, false)]
    public void Impact_WhenOneEndFails_TravelsInTheTypesDirection(string type, string sourceClass, string targetClass,
        bool sourceImpactsTarget, bool targetImpactsSource)
    {
        var index = new TestGraph(CmdbReference.WithInertType()).Ci(1, sourceClass).Ci(2, targetClass).Link(1, type, 2).Load();
        Assert.That(index.Impact([1]).Reached().Contains(2), Is.EqualTo(sourceImpactsTarget), "source fails → target impacted?");
        Assert.That(index.Impact([2]).Reached().Contains(1), Is.EqualTo(targetImpactsSource), "target fails → source impacted?");
    }

    [Test]
    public void Impact_WhenACiOnTheWayIsRetired_CarriesNothing()
    {
        var g = new TestGraph().Ci(1, "database").Ci(2, status: CiStatus.Retired).Ci(3, "business-service")
            .Link(2, "depends-on", 1).Link(3, "depends-on", 2).Load();
        Assert.That(g.Impact([1]).Reached(), Is.Empty);
    }

    [Test]
    public void Impact_WhenServiceIsReached_ExplainsThePathFromTheStartWithTheEdgesThatCarriedIt()
    {
        var g = new TestGraph().Ci(1, "business-service").Ci(2).Ci(3, "server");
        var dependsOn = g.Edge(1, "depends-on", 2);
        var runsOn = g.Edge(2, "runs-on", 3);
        var r = g.Load().Impact([3]);

        Assert.That(r.PathIds(1), Is.EqualTo(new long[] { 3, 2, 1 }));
        Assert.That(r.Via[r.IndexOf(3)], Is.Null, "a start CI has no step before it");
        Assert.That(r.Via[r.IndexOf(2)], Is.EqualTo(new GraphEdge(runsOn, "runs-on", 2, 3)));
        Assert.That(r.Via[r.IndexOf(1)], Is.EqualTo(new GraphEdge(dependsOn, "depends-on", 1, 2)));
        Assert.That(r.Depths[r.IndexOf(1)], Is.EqualTo(2));
    }

    [Test]
    public void Impact_WhenTheResultSpansSeveralChunks_ReadsEveryStepBackAcrossTheirEdges()
    {
        const int n = 2 * ImpactResult.ChunkSize + 5;
        var g = new TestGraph();
        for (var id = 1; id <= n; id++) g.Ci(id);
        var edges = new long[n + 1];
        for (var id = 2; id <= n; id++) edges[id] = g.Edge(id, "depends-on", id - 1);
        var r = g.Load().Impact([1], maxDepth: n);

        Assert.That(r.Count, Is.EqualTo(n));
        foreach (var i in new[] { ImpactResult.ChunkSize - 1, ImpactResult.ChunkSize, 2 * ImpactResult.ChunkSize, n - 1 })
        {
            Assert.That((r.CiIdAt(i), r.Depths[i], r.Parents[i]), Is.EqualTo(((long)i + 1, i, i - 1)), $"step {i}");
            Assert.That(r.Via[i], Is.EqualTo(new GraphEdge(edges[i + 1], "depends-on", i + 1, i)), $"step {i}");
        }
        Assert.That(r.PathTo(n - 1), Is.EqualTo(Enumerable.Range(0, n)));
    }

    [Test]
    public void Impact_WhenSeveralStartCis_EachPathBeginsAtTheStartThatReachedIt()
    {
        var g = new TestGraph().Ci(1, "database").Ci(2, "database").Ci(3).Ci(4)
            .Link(3, "depends-on", 1).Link(4, "depends-on", 2).Load();
        var r = g.Impact([1, 2]);
        Assert.That(r.StartCount, Is.EqualTo(2));
        Assert.That(r.PathIds(3), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(r.PathIds(4), Is.EqualTo(new long[] { 2, 4 }));
    }

    [Test]
    public void Dependencies_WhenAskedForAService_WalksBackwardsNearestFirst()
    {
        var g = new TestGraph().Ci(1, "business-service").Ci(2).Ci(3, "server").Ci(4, "storage").Ci(5, "business-service")
            .Link(1, "depends-on", 2).Link(2, "runs-on", 3).Link(3, "connects-to", 4).Link(5, "depends-on", 2).Load();
        var r = g.Dependencies(1);
        Assert.That(r.Reached(), Is.EqualTo(new long[] { 2, 3, 4 }), "what the service depends on, not what else uses its parts");
        Assert.That(r.Depths.Skip(1), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(r.PathIds(4), Is.EqualTo(new long[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void Impact_AsOfBeforeARelationshipWasDeleted_StillFollowsIt()
    {
        var g = new TestGraph().Ci(1, "database").Ci(2).Link(2, "depends-on", 1, deleted: TestGraph.Now.AddDays(-1)).Load();
        Assert.That(g.Impact([1], asOf: TestGraph.Now.AddDays(-2)).Reached(), Is.EqualTo(new long[] { 2 }));
        Assert.That(g.Impact([1]).Reached(), Is.Empty, "deleted yesterday, gone now");
    }

    [Test]
    public void Impact_AsOfBeforeACiWasCreated_DoesNotKnowIt()
    {
        var g = new TestGraph().Ci(1, "database").Ci(2, created: TestGraph.Now).Link(2, "depends-on", 1, created: TestGraph.Now).Load();
        var yesterday = TestGraph.Now.AddDays(-1);
        Assert.That(g.Node(2, yesterday), Is.Null);
        Assert.That(g.Node(2), Is.Not.Null);
        Assert.That(g.Impact([1], asOf: yesterday).Reached(), Is.Empty);
        Assert.That(g.Impact([2], asOf: yesterday).Count, Is.Zero, "a start CI that did not exist yet is ignored");
        Assert.That(g.Impact([1]).Reached(), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void Impact_AsOfBeforeACiWasRetired_SeesItOperationalAndCarryingImpact()
    {
        var g = new TestGraph().Ci(1, "database").Ci(2, status: CiStatus.Retired).Ci(3, "business-service")
            .Link(2, "depends-on", 1).Link(3, "depends-on", 2)
            .StatusChanged(2, TestGraph.Now, CiStatus.Operational).Load();
        var yesterday = TestGraph.Now.AddDays(-1);
        Assert.That(g.Node(2, yesterday)!.Value.Status, Is.EqualTo(CiStatus.Operational));
        Assert.That(g.Node(2)!.Value.Status, Is.EqualTo(CiStatus.Retired));
        Assert.That(g.Impact([1], asOf: yesterday).Reached(), Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(g.Impact([1]).Reached(), Is.Empty);
    }

    [Test]
    public void Impact_WhenStartIdIsUnknown_IgnoresIt()
    {
        var g = new TestGraph().Ci(1).Load();
        Assert.That(g.Impact([999]).Count, Is.Zero);
    }
}
