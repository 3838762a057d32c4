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
}
