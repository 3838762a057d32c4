using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>The index's bookkeeping: idempotent Apply, the overlay and its fold into CSR, against a plain reference walk.</summary>
public sealed class CmdbGraphIndexTests
{
    private static readonly string[] Types = ["depends-on", "member-of", "connects-to", "contains"];

    [Test]
    public void Apply_WhenTheSameRecordsComeTwice_ChangesNothing()
    {
        var g = new TestGraph().Ci(1, "server").Ci(2).Ci(3, "business-service");
        g.Link(2, "runs-on", 1).Link(3, "depends-on", 2).StatusChanged(2, TestGraph.Now, CiStatus.Planned);
        var index = new TestGraph().Index;
        index.Load([], [], [], 0);
        index.Apply(g.Nodes, g.Edges, g.Statuses, 5);
        var once = Snapshot(index);
        index.Apply(g.Nodes, g.Edges, g.Statuses, 5);

        Assert.That(index.Nodes, Is.EqualTo(3));
        Assert.That(index.Edges, Is.EqualTo(2));
        Assert.That(Snapshot(index), Is.EqualTo(once));
        Assert.That(index.AppliedChangesetId, Is.EqualTo(5));
    }

    [Test]
    public void Apply_WhenARelationshipIsDeleted_ClosesItInPlace()
    {
        var g = new TestGraph().Ci(1, "server").Ci(2);
        var id = g.Edge(2, "runs-on", 1);
        var index = g.Load();
        index.Apply([], [new GraphEdgeRecord(id, "runs-on", 2, 1, TestGraph.Long, TestGraph.Now)], [], 2);
        Assert.That(index.Edges, Is.EqualTo(1), "kept, closed");
        Assert.That(index.Impact([1]).Reached(), Is.Empty);
        Assert.That(index.Impact([1], asOf: TestGraph.Now.AddDays(-1)).Reached(), Is.EqualTo(new long[] { 2 }));
    }

    [Test]
    public void Apply_WhenManyEdgesArriveAfterLoad_AnswersLikeAFreshLoadAndAReferenceWalk()
    {
        var random = new Random(20261202);
        const int nodes = 3000;
        var all = new TestGraph();
        for (var i = 1; i <= nodes; i++) all.Ci(i, random.Next(4) == 0 ? "server" : "application");
        for (var e = 0; e < 9000; e++)
        {
            var s = random.Next(1, nodes + 1);
            var t = random.Next(1, nodes + 1);
            if (s != t) all.Link(s, Types[random.Next(Types.Length)], t);
        }
        // Nodes 2,801..3,000 and most edges arrive through Apply, 100 at a time (the overlay is folded into CSR
        // after about 4,096 edges, and the rest stay in the overlay). An edge never comes before its ends.
        var followed = new TestGraph().Index;
        var loaded = all.Edges.Take(1000).Where(e => e.SourceId <= 2800 && e.TargetId <= 2800).ToList();
        followed.Load(all.Nodes.Take(2800), loaded, [], 1);
        var checks = new[] { 1L, 7, 42, 999, 2500, 2900 };
        var rest = all.Edges.Except(loaded).ToList();
        var tail = all.Nodes.Skip(2800).ToList();
        for (var batch = 0; batch * 100 < rest.Count; batch++)
        {
            followed.Apply(batch == 0 ? tail : [], rest.Skip(batch * 100).Take(100), [], 2 + batch);
            if (batch == 20) // before the fold: answers out of the overlay
                foreach (var start in checks) Assert.That(Walk(followed, start), Is.EqualTo(Reference([.. loaded, .. rest.Take(2100)], start)), $"start {start}, overlay");
        }
        var fresh = all.Load();

        foreach (var start in checks)
        {
            var expected = Reference(all.Edges.ToList(), start);
            Assert.That(Walk(followed, start), Is.EqualTo(expected), $"start {start}, followed");
            Assert.That(Walk(fresh, start), Is.EqualTo(expected), $"start {start}, loaded");
            Assert.That(Neighbours(followed, start), Is.EqualTo(Neighbours(fresh, start)), $"neighbourhood of {start}");
        }
    }

    [Test]
    public void Impact_WhenReadNowOrAsOfLater_AgreesAfterDeletesRetirementsAndRulesWrittenSinceTheLoad()
    {
        // The graph as it is now is walked on the flow adjacency; as of a later time, on every edge's lifetime. Both
        // must answer alike, also after edges were deleted, CIs retired and redundancy rules set since the load.
        var random = new Random(20261203);
        const int nodes = 2000;
        var g = new TestGraph();
        for (var i = 1; i <= nodes; i++)
            g.Ci(i, i % 10 == 0 ? "cluster" : i % 3 == 0 ? "server" : "application", redundancy: i % 20 == 0 ? "needs 2 up" : i % 30 == 0 ? "50%" : null);
        var edges = new List<(long Id, long S, string T, long D)>();
        for (var e = 0; e < 7000; e++)
        {
            var (s, t) = (random.Next(1, nodes + 1), random.Next(1, nodes + 1));
            var type = random.Next(4) == 0 ? "member-of" : Types[random.Next(Types.Length)];
            if (type == "member-of") t = random.Next(1, nodes / 10 + 1) * 10;
            if (s != t) edges.Add((g.Edge(s, type, t), s, type, t));
        }
        var index = g.Load();
        var later = TestGraph.Now.AddHours(1);
        var deleted = edges.Where((_, k) => k % 7 == 0).Select(e => new GraphEdgeRecord(e.Id, e.T, e.S, e.D, TestGraph.Long, TestGraph.Now)).ToList();
        var retired = Enumerable.Range(1, nodes).Where(i => i % 17 == 0)
            .Select(i => new GraphNodeRecord(i, i % 10 == 0 ? "cluster" : i % 3 == 0 ? "server" : "application", CiStatus.Retired, 3, TestGraph.Long, null, false, null, null)).ToList();
        var retiredAt = retired.Select(n => new GraphStatusChange(n.CiId, TestGraph.Now, CiStatus.Operational)).ToList();
        var added = Enumerable.Range(0, 300).Select(k => new GraphEdgeRecord(100_000 + k, Types[k % Types.Length], random.Next(1, nodes + 1), random.Next(1, nodes + 1), TestGraph.Now, null))
            .Where(e => e.SourceId != e.TargetId).ToList();
        index.Apply(retired, [.. deleted, .. added], retiredAt, 2);

        foreach (var start in new long[] { 1, 10, 33, 500, 1234, 1999 })
            foreach (var depth in new[] { 3, 20 })
            {
                Assert.That(Describe(index.Impact([start], depth)), Is.EqualTo(Describe(index.Impact([start], depth, later))), $"impact from {start}, depth {depth}");
                Assert.That(Describe(index.Dependencies(start, depth)), Is.EqualTo(Describe(index.Dependencies(start, depth, later))), $"dependencies of {start}, depth {depth}");
            }

        // Which of two CIs at the same depth reaches a third first may differ between the walks; what is reached, how
        // deep and how many members a rule saw may not, and every explanation step must be a real relationship.
        static string Describe(ImpactResult r)
        {
            for (var i = r.StartCount; i < r.Count; i++)
            {
                var (parent, via) = (r.Parents[i], r.Via[i]!.Value);
                Assert.That(r.Depths[parent], Is.EqualTo(r.Depths[i] - 1));
                Assert.That(new[] { via.SourceId, via.TargetId }, Is.EquivalentTo(new[] { r.Nodes[i].CiId, r.Nodes[parent].CiId }));
            }
            return string.Join(";", r.Nodes.Select((n, i) => (n, i)).OrderBy(x => x.n.CiId)
                .Select(x => $"{x.n.CiId}:{r.Depths[x.i]}:{x.n.Status}:{r.RedundancyCounts[x.i]}")) + "|" + r.DepthLimited;
        }
    }

    private static SortedDictionary<long, int> Walk(CmdbGraphIndex g, long start)
    {
        var r = g.Impact([start], maxDepth: 6);
        return new SortedDictionary<long, int>(r.Nodes.Select((n, i) => (n.CiId, r.Depths[i])).ToDictionary(x => x.CiId, x => x.Item2));
    }

    private static string Neighbours(CmdbGraphIndex g, long start)
    {
        var n = g.Neighbourhood(start, new NeighbourhoodQuery { Depth = 2, Limit = 100_000 });
        return string.Join(",", n.Nodes.Select(x => x.CiId).Order()) + "|" + string.Join(",", n.Edges.Select(e => e.RelationshipId).Order());
    }

    /// <summary>A plain breadth-first walk: depends-on and connects-to carry impact target → source, member-of and contains source → target.</summary>
    private static SortedDictionary<long, int> Reference(List<GraphEdgeRecord> edges, long start)
    {
        var next = new Dictionary<long, List<long>>();
        foreach (var e in edges)
        {
            var (from, to) = e.TypeCode is "depends-on" or "connects-to" ? (e.TargetId, e.SourceId) : (e.SourceId, e.TargetId);
            if (!next.TryGetValue(from, out var list)) next[from] = list = [];
            list.Add(to);
        }
        var depth = new SortedDictionary<long, int> { [start] = 0 };
        var queue = new Queue<long>([start]);
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            if (depth[v] == 6) continue;
            foreach (var u in next.GetValueOrDefault(v) ?? [])
                if (depth.TryAdd(u, depth[v] + 1)) queue.Enqueue(u);
        }
        return depth;
    }

    private static string Snapshot(CmdbGraphIndex g)
    {
        var impact = g.Impact([1]);
        var asOf = g.Node(2, TestGraph.Now.AddDays(-1));
        var n = g.Neighbourhood(2, new NeighbourhoodQuery { Depth = 2 });
        return string.Join(",", impact.Ids()) + "|" + asOf + "|" + string.Join(",", n.Nodes.Select(x => x.CiId)) + "|" + string.Join(",", n.Edges);
    }
}
