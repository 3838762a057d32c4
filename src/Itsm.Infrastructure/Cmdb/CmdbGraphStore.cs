using System.Data.Common;
using System.Diagnostics;
using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Cmdb;

/// <summary>
/// <see cref="ICmdbGraph"/> on the in-process index (docs/decisions/0011). <see cref="LoadAsync"/> builds it from the
/// tables at start; <see cref="CatchUpAsync"/> applies the changesets committed since (this instance's after each
/// command, everybody's on the follower's poll), reading the CIs and relationships they touched in a few set-based
/// queries, never one per node. A changeset id read out of order (PostgreSQL hands ids out before commit) is asked for
/// again until it shows up or is a minute old, as the security events are (ADR 0009).
/// </summary>
public sealed class CmdbGraphStore(CmdbModel model, IServiceScopeFactory scopes, ILogger<CmdbGraphStore> logger) : ICmdbGraph
{
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private readonly ChangeLogCursor _cursor = new();
    private volatile bool _loaded;

    public CmdbGraphIndex Index { get; } = new(model);

    public long Version => Index.Version;

    public GraphNode? Node(long ciId, DateTimeOffset? asOf = null) => Index.Node(ciId, asOf);
    public ImpactResult Impact(IReadOnlyCollection<long> ciIds, int maxDepth, DateTimeOffset? asOf = null) => Index.Impact(ciIds, maxDepth, asOf);
    public ImpactResult Dependencies(long ciId, int maxDepth, DateTimeOffset? asOf = null) => Index.Dependencies(ciId, maxDepth, asOf);
    public Neighbourhood Neighbourhood(long ciId, NeighbourhoodQuery query) => Index.Neighbourhood(ciId, query);
    public IReadOnlyList<long> Neighbours(long ciId) => Index.Neighbours(ciId);

    /// <summary>Builds the index from the tables: every CI, every relationship (deleted ones too, for as-of reads), every status change.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        await _catchUp.WaitAsync(ct);
        try
        {
            var watch = Stopwatch.StartNew();
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            var sqlite = db.Database.IsSqlite();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                var c = db.Database.GetDbConnection();
                var last = await ScalarAsync(c, "SELECT COALESCE(MAX(\"Id\"), 0) FROM cmdb_changesets", ct);
                var counts = (Nodes: (int)await ScalarAsync(c, "SELECT COUNT(*) FROM configuration_items", ct),
                    Edges: (int)await ScalarAsync(c, "SELECT COUNT(*) FROM relationships", ct));
                var maxEdge = await ScalarAsync(c, "SELECT COALESCE(MAX(\"Id\"), 0) FROM relationships", ct);
                var statuses = await ReadStatusChangesAsync(c, sqlite, null, ct);
                // The relationships are most of the rows: read in id ranges on connections of their own, in parallel with
                // the CIs, which stream straight into the index's arrays (the edges need their ends first).
                var parts = counts.Edges < 100_000 ? 1 : Math.Clamp(Environment.ProcessorCount, 1, 4);
                var ranges = Enumerable.Range(0, parts).Select(p => (From: maxEdge * p / parts, To: maxEdge * (p + 1) / parts)).ToList();
                var edgeReads = ranges.Select(r => Task.Run(() => ReadEdgeRangeAsync(r.From, r.To, ct), ct)).ToList();
                Index.Load(Stream(c, NodeSql, r => Node(r, sqlite)), Collected(edgeReads), statuses, last, counts.Nodes, counts.Edges);
                _cursor.Start(last, recheck: 100);
                _loaded = true;
                logger.LogInformation("CMDB graph loaded: {Nodes} CIs, {Edges} relationships in {Ms} ms", Index.Nodes, Index.Edges, watch.ElapsedMilliseconds);
            }
            finally { await db.Database.CloseConnectionAsync(); }
        }
        finally { _catchUp.Release(); }
    }

    public async Task CatchUpAsync(CancellationToken ct)
    {
        if (!_loaded) return; // start-up loads everything anyway
        await _catchUp.WaitAsync(ct);
        try
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            var sqlite = db.Database.IsSqlite();
            var gaps = _cursor.Gaps;
            var after = _cursor.Last;
            var idFilter = $"\"Id\" > {after}" + (gaps.Count > 0 ? $" OR \"Id\" IN ({string.Join(",", gaps)})" : "");
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                var c = db.Database.GetDbConnection();
                var ids = new List<long>();
                await using (var cmd = Command(c, $"SELECT \"Id\" FROM cmdb_changesets WHERE {idFilter} ORDER BY \"Id\""))
                await using (var r = await cmd.ExecuteReaderAsync(ct))
                    while (await r.ReadAsync(ct)) ids.Add(r.GetInt64(0));
                if (ids.Count == 0) { _cursor.Expire(); return; }
                var changesets = $"\"ChangesetId\" > {after}" + (gaps.Count > 0 ? $" OR \"ChangesetId\" IN ({string.Join(",", gaps)})" : "");
                var nodes = await ReadNodesAsync(c, sqlite,
                    $"\"Id\" IN (SELECT \"CiId\" FROM cmdb_change_entries WHERE ({changesets}) AND \"CiId\" IS NOT NULL)", ct);
                var edges = await ReadEdgesAsync(c, sqlite,
                    $"\"Id\" IN (SELECT \"RelationshipId\" FROM cmdb_change_entries WHERE ({changesets}) AND \"RelationshipId\" IS NOT NULL)", ct);
                var statuses = await ReadStatusChangesAsync(c, sqlite, changesets, ct);
                foreach (var id in ids) _cursor.Saw(id);
                Index.Apply(nodes, edges, statuses, _cursor.Last);
                _cursor.Expire();
            }
            finally { await db.Database.CloseConnectionAsync(); }
        }
        finally { _catchUp.Release(); }
    }

    private const string NodeSql =
        "SELECT \"Id\", \"ClassCode\", \"Status\", \"Criticality\", \"CreatedAt\", \"RedundancyNeeded\", \"RedundancyIsPercent\", " +
        "\"Restricted\", \"OwnerGroupId\", \"SupportGroupId\" FROM configuration_items";
    /// <summary>
    /// The type as its number in the reference data, computed by the database: four million rows then make no string
    /// each. A type no longer in the reference data reads as −1, which the index skips.
    /// </summary>
    private readonly string _edgeSql =
        "SELECT \"Id\", CASE \"TypeCode\" " + string.Concat(model.Types.Select((t, i) => $"WHEN '{t.Code.Replace("'", "''", StringComparison.Ordinal)}' THEN {i} "))
        + "ELSE -1 END, \"SourceId\", \"TargetId\", \"CreatedAt\", \"DeletedAt\" FROM relationships";
    private readonly string[] _typeCodes = model.Types.Select(t => t.Code).ToArray();

    private static async Task<List<GraphNodeRecord>> ReadNodesAsync(DbConnection c, bool sqlite, string where, CancellationToken ct) =>
        await ReadAsync(c, NodeSql + " WHERE " + where, r => Node(r, sqlite), ct);

    private async Task<List<GraphEdgeRecord>> ReadEdgesAsync(DbConnection c, bool sqlite, string where, CancellationToken ct) =>
        await ReadAsync(c, _edgeSql + " WHERE " + where, r => Edge(r, sqlite), ct);

    private static GraphNodeRecord Node(DbDataReader r, bool sqlite) =>
        new(r.GetInt64(0), Shared(r.GetString(1)), (CiStatus)r.GetInt32(2), r.GetInt32(3), Time(r, 4, sqlite),
            r.IsDBNull(5) ? null : new Redundancy(r.GetInt32(5), r.GetBoolean(6)), r.GetBoolean(7), Guid(r, 8), Guid(r, 9));

    private GraphEdgeRecord Edge(DbDataReader r, bool sqlite) =>
        new(r.GetInt64(0), r.GetInt32(1) is >= 0 and var type ? _typeCodes[type] : "", r.GetInt64(2), r.GetInt64(3), Time(r, 4, sqlite),
            r.IsDBNull(5) ? null : Time(r, 5, sqlite));

    /// <summary>Class and type codes are few: one string each, not one per row.</summary>
    private static string Shared(string code) => string.IsInterned(code) ?? string.Intern(code);

    private static async Task<List<T>> ReadAsync<T>(DbConnection c, string sql, Func<DbDataReader, T> map, CancellationToken ct)
    {
        var list = new List<T>();
        await using var cmd = Command(c, sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(map(r));
        return list;
    }

    /// <summary>One id range of the relationships, on its own connection.</summary>
    private async Task<List<GraphEdgeRecord>> ReadEdgeRangeAsync(long after, long upTo, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await ReadEdgesAsync(db.Database.GetDbConnection(), db.Database.IsSqlite(), $"\"Id\" > {after} AND \"Id\" <= {upTo}", ct);
        }
        finally { await db.Database.CloseConnectionAsync(); }
    }

    /// <summary>The ranges' rows in id order, each range as soon as it is read (the index waits under its write lock, at start-up).</summary>
    private static IEnumerable<GraphEdgeRecord> Collected(List<Task<List<GraphEdgeRecord>>> reads)
    {
        for (var i = 0; i < reads.Count; i++)
        {
            foreach (var e in reads[i].GetAwaiter().GetResult()) yield return e;
            reads[i] = Task.FromResult<List<GraphEdgeRecord>>([]); // let the range's rows go
        }
    }

    private static IEnumerable<T> Stream<T>(DbConnection c, string sql, Func<DbDataReader, T> map)
    {
        using var cmd = Command(c, sql);
        using var r = cmd.ExecuteReader();
        while (r.Read()) yield return map(r);
    }

    private static async Task<List<GraphStatusChange>> ReadStatusChangesAsync(DbConnection c, bool sqlite, string? changesets, CancellationToken ct)
    {
        var list = new List<GraphStatusChange>();
        await using var cmd = Command(c,
            "SELECT e.\"CiId\", s.\"At\", e.\"OldValue\" FROM cmdb_change_entries e JOIN cmdb_changesets s ON s.\"Id\" = e.\"ChangesetId\" " +
            "WHERE e.\"Field\" = 'status' AND e.\"OldValue\" IS NOT NULL" +
            (changesets is null ? "" : $" AND ({changesets.Replace("\"ChangesetId\"", "e.\"ChangesetId\"")})"));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (CiStatusText.TryParse(r.GetString(2), out var before))
                list.Add(new GraphStatusChange(r.GetInt64(0), Time(r, 1, sqlite), before));
        return list;
    }

    private static DbCommand Command(DbConnection c, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 300;
        return cmd;
    }

    private static async Task<long> ScalarAsync(DbConnection c, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, sql);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    private static DateTimeOffset Time(DbDataReader r, int i, bool sqlite) =>
        sqlite ? FromBinary(r.GetInt64(i)) : r.GetFieldValue<DateTimeOffset>(i);

    private static Guid? Guid(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : r.GetFieldType(i) == typeof(Guid) ? r.GetGuid(i) : System.Guid.Parse(r.GetString(i));

    /// <summary>The SQLite encoding of <see cref="DateTimeOffsetToBinaryConverter"/>, which the DbContext's conventions use (typed: no boxing per row).</summary>
    private static readonly Func<long, DateTimeOffset> FromBinary = new DateTimeOffsetToBinaryConverter().ConvertFromProviderExpression.Compile();
}
