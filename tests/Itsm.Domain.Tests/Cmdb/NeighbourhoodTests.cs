using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>The neighbourhood walk behind the graph view: depth, direction, filters, limit, edges among the nodes shown.</summary>
public sealed class NeighbourhoodTests
{
    // 1 service → depends on 2 app → runs on 3 server → connects to 4 switch; 5 db ← used by 2; 6 vm member of 7 cluster; 2 runs on 7.
    private static CmdbGraphIndex Graph() => new TestGraph()
        .Ci(1, "business-service").Ci(2).Ci(3, "server").Ci(4, "network-device").Ci(5, "database", CiStatus.UnderMaintenance)
        .Ci(6, "virtual-machine").Ci(7, "cluster")
        .Link(1, "depends-on", 2).Link(2, "runs-on", 3).Link(3, "connects-to", 4).Link(2, "depends-on", 5)
        .Link(6, "member-of", 7).Link(2, "runs-on", 7).Load();

    private static long[] Ids(Neighbourhood n) => n.Nodes.Select(x => x.CiId).Order().ToArray();

    [Test]
    public void Neighbourhood_WhenDepthOne_ListsDirectNeighboursAndTheirEdges()
    {
        var n = Graph().Neighbourhood(2, new NeighbourhoodQuery());
        Assert.That(Ids(n), Is.EqualTo(new long[] { 1, 2, 3, 5, 7 }));
        Assert.That(n.Nodes[0].CiId, Is.EqualTo(2), "the centre comes first");
        Assert.That(n.Edges.Select(e => (e.SourceId, e.TypeCode, e.TargetId)), Is.EquivalentTo(new[]
        {
            (1L, "depends-on", 2L), (2L, "runs-on", 3L), (2L, "depends-on", 5L), (2L, "runs-on", 7L),
        }));
        Assert.That(n.Truncated, Is.False);
    }

    [Test]
    public void Neighbourhood_WhenDepthTwo_ReachesTwoSteps()
    {
        var n = Graph().Neighbourhood(1, new NeighbourhoodQuery { Depth = 2 });
        Assert.That(Ids(n), Is.EqualTo(new long[] { 1, 2, 3, 5, 7 }));
        Assert.That(Ids(Graph().Neighbourhood(1, new NeighbourhoodQuery { Depth = 3 })), Is.EqualTo(new long[] { 1, 2, 3, 4, 5, 6, 7 }));
    }

    [Test]
    public void Neighbourhood_WhenTwoNeighboursAreRelated_ShowsThatEdgeToo()
    {
        var g = new TestGraph().Ci(1).Ci(2).Ci(3, "database").Link(1, "depends-on", 2).Link(1, "depends-on", 3).Link(2, "depends-on", 3).Load();
        var n = g.Neighbourhood(1, new NeighbourhoodQuery { Depth = 1 });
        Assert.That(n.Edges.Select(e => (e.SourceId, e.TargetId)), Is.EquivalentTo(new[] { (1L, 2L), (1L, 3L), (2L, 3L) }));
    }

    [TestCase(GraphDirection.Outgoing, new long[] { 2, 3, 5, 7 })]
    [TestCase(GraphDirection.Incoming, new long[] { 1, 2 })]
    public void Neighbourhood_WhenDirectionGiven_FollowsOnlyThatWay(GraphDirection direction, long[] expected)
    {
        Assert.That(Ids(Graph().Neighbourhood(2, new NeighbourhoodQuery { Direction = direction })), Is.EqualTo(expected));
    }

    [Test]
    public void Neighbourhood_WhenFilteredByType_FollowsOnlyThoseTypes()
    {
        var n = Graph().Neighbourhood(2, new NeighbourhoodQuery { Types = new HashSet<string> { "runs-on" } });
        Assert.That(Ids(n), Is.EqualTo(new long[] { 2, 3, 7 }));
        Assert.That(n.Edges.Select(e => e.TypeCode), Is.All.EqualTo("runs-on"));
    }

    [Test]
    public void Neighbourhood_WhenFilteredByClassAndStatus_KeepsTheCentre()
    {
        var byClass = Graph().Neighbourhood(2, new NeighbourhoodQuery { Classes = new HashSet<string> { "server", "database" } });
        var byStatus = Graph().Neighbourhood(2, new NeighbourhoodQuery { Statuses = new HashSet<CiStatus> { CiStatus.UnderMaintenance } });
        Assert.That(Ids(byClass), Is.EqualTo(new long[] { 2, 3, 5 }), "the centre is an application, and stays");
        Assert.That(Ids(byStatus), Is.EqualTo(new long[] { 2, 5 }));
        Assert.That(byStatus.Edges.Select(e => e.TargetId), Is.EqualTo(new long[] { 5 }), "only edges among the nodes shown");
    }

    [Test]
    public void Neighbourhood_WhenMoreNodesThanTheLimit_StopsAndSaysTruncated()
    {
        var g = new TestGraph().Ci(1, "server");
        for (var i = 2; i <= 30; i++) g.Ci(i).Link(i, "runs-on", 1);
        var n = g.Load().Neighbourhood(1, new NeighbourhoodQuery { Limit = 10 });
        Assert.That(n.Nodes, Has.Count.EqualTo(10));
        Assert.That(n.Truncated, Is.True);
        var shown = n.Nodes.Select(x => x.CiId).ToHashSet();
        Assert.That(n.Edges.All(e => shown.Contains(e.SourceId) && shown.Contains(e.TargetId)), Is.True, "no edge to a node left out");
        Assert.That(n.Edges, Has.Count.EqualTo(9));
    }

    [TestCase(GraphDirection.Both, 50)]
    [TestCase(GraphDirection.Outgoing, 50)]
    [TestCase(GraphDirection.Incoming, 50)]
    [TestCase(GraphDirection.Both, 20_000)]
    public void Neighbourhood_WhenHubsAreNear_ShowsEveryRelationshipAmongTheCisShown(GraphDirection direction, int limit)
    {
        // A storage array used by 6,000 VMs and a switch 2,500 servers connect to (hubs past HubDegree), linked to each
        // other; the centre, a VM, uses the array and connects to the switch; some VMs also connect to the switch.
        var g = new TestGraph().Ci(1, "storage").Ci(2, "network-device").Ci(3, "virtual-machine").Link(2, "connects-to", 1).Link(3, "depends-on", 1).Link(3, "connects-to", 2);
        for (var i = 0; i < 6000; i++)
        {
            g.Ci(100 + i, "virtual-machine").Link(100 + i, "depends-on", 1);
            if (i % 3 == 0) g.Link(100 + i, "connects-to", 2);
        }
        for (var i = 0; i < 2500; i++) g.Ci(10_000 + i, "server").Link(10_000 + i, "connects-to", 2);
        var index = g.Load();

        var n = index.Neighbourhood(3, new NeighbourhoodQuery { Depth = 2, Limit = limit, Direction = direction });

        var shown = n.Nodes.Select(x => x.CiId).ToHashSet();
        Assert.That(shown, Has.Count.LessThanOrEqualTo(limit));
        Assert.That(n.Truncated, Is.EqualTo(direction == GraphDirection.Both && limit == 50), "both ways the hubs lead to thousands; out of the VM only to the two hubs");
        var among = g.Edges.Where(e => shown.Contains(e.SourceId) && shown.Contains(e.TargetId)).Select(e => e.RelationshipId).Order().ToList();
        Assert.That(n.Edges.Select(e => e.RelationshipId).Order(), Is.EqualTo(among), "every relationship among the CIs shown, once, the hubs' one included");
        if (direction != GraphDirection.Incoming) Assert.That(shown, Is.SupersetOf(new long[] { 1, 2, 3 }));
    }

    [Test]
    public void Neighbourhood_AsOf_SeesEdgesAliveThenAndCisThatExisted()
    {
        var yesterday = TestGraph.Now.AddDays(-1);
        var g = new TestGraph().Ci(1, "server").Ci(2).Ci(3, created: TestGraph.Now)
            .Link(2, "runs-on", 1, deleted: yesterday).Link(3, "runs-on", 1, created: TestGraph.Now).Load();
        Assert.That(Ids(g.Neighbourhood(1, new NeighbourhoodQuery { AsOf = TestGraph.Now.AddDays(-2) })), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(Ids(g.Neighbourhood(1, new NeighbourhoodQuery())), Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(g.Neighbourhood(3, new NeighbourhoodQuery { AsOf = yesterday }).Nodes, Is.Empty, "the centre did not exist yet");
    }

    [Test]
    public void Neighbours_ListsEachCiOneRelationshipAwayEitherWayOnceWithoutTheCiItself()
    {
        var g = new TestGraph().Ci(1, "server").Ci(2).Ci(3, "database").Ci(4, "cluster")
            .Link(2, "runs-on", 1).Link(2, "depends-on", 3).Link(3, "depends-on", 2).Link(2, "runs-on", 4).Link(1, "member-of", 4).Load();

        Assert.That(g.Neighbours(2), Is.EquivalentTo(new long[] { 1, 3, 4 }), "3 is related both ways: listed once");
        Assert.That(g.Neighbours(1), Is.EquivalentTo(new long[] { 2, 4 }));
        Assert.That(g.Neighbours(99), Is.Empty, "an unknown CI has none");
    }

    [Test]
    public void Neighbours_AreTheNodesOfADepthOneNeighbourhoodWithoutLimitInTheSameOrder()
    {
        var g = Graph();
        foreach (var id in new long[] { 1, 2, 3, 4, 5, 6, 7 })
        {
            var expected = g.Neighbourhood(id, new NeighbourhoodQuery { Depth = 1, Limit = int.MaxValue }).Nodes.Select(n => n.CiId).Where(x => x != id);
            Assert.That(g.Neighbours(id), Is.EqualTo(expected), $"CI {id}");
        }
    }

    [Test]
    public void Neighbours_FollowWritesSinceTheBuildAndLeaveDeletedRelationshipsOut()
    {
        var t = new TestGraph().Ci(1, "server").Ci(2).Ci(3).Link(2, "runs-on", 1).Link(3, "runs-on", 1);
        var g = t.Load();
        var deleted = t.Edges.Single(e => e.SourceId == 3) with { DeletedAt = TestGraph.Now };
        g.Apply([new GraphNodeRecord(4, "application", CiStatus.Operational, 1, TestGraph.Long, null, false, null, null)],
            [deleted, new GraphEdgeRecord(100, "runs-on", 4, 1, TestGraph.Now, null), new GraphEdgeRecord(101, "depends-on", 2, 4, TestGraph.Now, null)], [], 2);

        Assert.That(g.Neighbours(1), Is.EquivalentTo(new long[] { 2, 4 }), "3's relationship is deleted; 4's is new (in the overlay)");
        Assert.That(g.Neighbours(4), Is.EquivalentTo(new long[] { 1, 2 }));
        Assert.That(g.Neighbours(3), Is.Empty);
    }

    [Test]
    public void Neighbours_OfACiNextToAHub_ListTheHubOnceAndOfTheHubEveryCiUsingIt()
    {
        // A storage array used by 5,000 VMs (a hub past the neighbourhood's HubDegree); the VM 3 uses it twice over.
        var t = new TestGraph().Ci(1, "storage").Ci(2, "network-device").Ci(3, "virtual-machine")
            .Link(3, "depends-on", 1).Link(3, "connects-to", 1).Link(3, "connects-to", 2).Link(2, "connects-to", 1);
        for (var i = 0; i < 5000; i++) t.Ci(100 + i, "virtual-machine").Link(100 + i, "depends-on", 1);
        var g = t.Load();

        Assert.That(g.Neighbours(3), Is.EquivalentTo(new long[] { 1, 2 }));
        var ofHub = g.Neighbours(1);
        Assert.That(ofHub, Has.Count.EqualTo(5002));
        Assert.That(ofHub, Is.Unique);
        Assert.That(ofHub, Does.Contain(2L).And.Contain(3L).And.Contain(5099L));
    }
}
