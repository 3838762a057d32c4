using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Infrastructure.Cmdb;

namespace Itsm.Domain.Tests.Cmdb;

/// <summary>The shipped CMDB vocabulary, and a small fluent graph builder over <see cref="CmdbGraphIndex"/>.</summary>
internal static class CmdbReference
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) return dir.FullName;
            throw new InvalidOperationException("Itsm.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    public static string Directory => Path.Combine(RepoRoot, "seed-data", "reference");

    private static (CmdbModel Model, SourcePrecedence Precedence)? _read;

    public static CmdbModel Model => (_read ??= CmdbModelReader.Read(Directory)).Model;
    public static SourcePrecedence Precedence => (_read ??= CmdbModelReader.Read(Directory)).Precedence;

    /// <summary>The shipped model plus a relationship type that carries no impact (none is shipped).</summary>
    public static CmdbModel WithInertType()
    {
        var m = Model;
        var inert = new RelationshipType("documented-by", "documented by", "documents", [], [], ImpactDirection.None, false);
        return new CmdbModel(m.Classes, [.. m.Types, inert], m.Environments);
    }
}

internal sealed class TestGraph(CmdbModel? model = null)
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Long = Now.AddDays(-30);

    private readonly List<GraphNodeRecord> _nodes = [];
    private readonly List<GraphEdgeRecord> _edges = [];
    private readonly List<GraphStatusChange> _statuses = [];
    private long _nextEdge = 1;

    public CmdbGraphIndex Index { get; } = new(model ?? CmdbReference.Model);

    public TestGraph Ci(long id, string cls = "application", CiStatus status = CiStatus.Operational, string? redundancy = null,
        DateTimeOffset? created = null, bool restricted = false)
    {
        Redundancy? r = redundancy is null ? null : Redundancy.TryParse(redundancy, out var x, out _) ? x : throw new ArgumentException(redundancy);
        _nodes.Add(new GraphNodeRecord(id, cls, status, 3, created ?? Long, r, restricted, null, null));
        return this;
    }

    public long Edge(long source, string type, long target, DateTimeOffset? created = null, DateTimeOffset? deleted = null)
    {
        var id = _nextEdge++;
        _edges.Add(new GraphEdgeRecord(id, type, source, target, created ?? Long, deleted));
        return id;
    }

    public TestGraph Link(long source, string type, long target, DateTimeOffset? created = null, DateTimeOffset? deleted = null)
    {
        Edge(source, type, target, created, deleted);
        return this;
    }

    public TestGraph StatusChanged(long id, DateTimeOffset at, CiStatus before)
    {
        _statuses.Add(new GraphStatusChange(id, at, before));
        return this;
    }

    public CmdbGraphIndex Load()
    {
        Index.Load(_nodes, _edges, _statuses, 1);
        return Index;
    }

    public IReadOnlyList<GraphNodeRecord> Nodes => _nodes;
    public IReadOnlyList<GraphEdgeRecord> Edges => _edges;
    public IReadOnlyList<GraphStatusChange> Statuses => _statuses;
}

internal static class ImpactResultExtensions
{
    public static long[] Ids(this ImpactResult r) => r.Nodes.Select(n => n.CiId).ToArray();
    public static long[] Reached(this ImpactResult r) => r.Nodes.Skip(r.StartCount).Select(n => n.CiId).ToArray();
    public static int IndexOf(this ImpactResult r, long id) => r.Nodes.Select((n, i) => (n, i)).Single(x => x.n.CiId == id).i;
    public static long[] PathIds(this ImpactResult r, long id) => r.PathTo(r.IndexOf(id)).Select(i => r.Nodes[i].CiId).ToArray();
}
