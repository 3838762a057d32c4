using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>The way a failure travels along each relationship type, read from seed-data/reference/cmdb-relationship-types.yaml.</summary>
public sealed class ImpactDirections
{
    /// <summary>Types whose impact goes from target to source (B fails, so A that depends on / runs on B is hit).</summary>
    public required IReadOnlyList<string> TargetToSource { get; init; }
    /// <summary>Types whose impact goes from source to target (A fails, so the B it is a member of / contains is hit).</summary>
    public required IReadOnlyList<string> SourceToTarget { get; init; }

    public static ImpactDirections Read()
    {
        var path = Path.Combine(RepoPaths.Root, "seed-data", "reference", "cmdb-relationship-types.yaml");
        var yaml = new YamlStream();
        using (var reader = new StreamReader(path)) yaml.Load(reader);
        var t2s = new List<string>();
        var s2t = new List<string>();
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("relationship-types")]).Children.Cast<YamlMappingNode>())
        {
            var code = ((YamlScalarNode)node.Children[new YamlScalarNode("code")]).Value!;
            var impact = ((YamlScalarNode)node.Children[new YamlScalarNode("impact")]).Value!;
            if (impact is "target-to-source" or "both") t2s.Add(code);
            if (impact is "source-to-target" or "both") s2t.Add(code);
        }
        return new ImpactDirections { TargetToSource = t2s, SourceToTarget = s2t };
    }

    public string Describe() => $"target-to-source: {string.Join(", ", TargetToSource)}; source-to-target: {string.Join(", ", SourceToTarget)}";
}

/// <summary>
/// The cheapest possible impact walk, as a floor: the live relationships' (SourceId, TargetId, TypeCode) read from the
/// database into CSR int arrays (offsets + targets) laid out in the impact direction of each type; a breadth-first
/// walk with a stamped visited array and a flat queue. No redundancy rules, no status, no paths, no depth limit.
/// CI ids index the arrays directly (the generated ids are dense).
/// </summary>
public sealed class BareGraph
{
    private readonly int[] _offsets;
    private readonly int[] _targets;
    private readonly int[] _seen;
    private readonly int[] _queue;
    private int _stamp;

    public int NodeSlots => _offsets.Length - 1;
    public int Edges => _targets.Length;
    public long Bytes => (long)_offsets.Length * 4 + (long)_targets.Length * 4;
    public TimeSpan ReadTime { get; private init; }
    public TimeSpan BuildTime { get; private init; }
    public int LiveRelationships { get; private init; }

    private BareGraph(int[] offsets, int[] targets)
    {
        _offsets = offsets;
        _targets = targets;
        _seen = new int[offsets.Length - 1];
        _queue = new int[offsets.Length - 1];
    }

    public static BareGraph Load(DbConnection conn, ImpactDirections directions)
    {
        var t2s = directions.TargetToSource.ToHashSet();
        var s2t = directions.SourceToTarget.ToHashSet();
        var sw = Stopwatch.StartNew();
        var from = new int[1 << 20];
        var to = new int[1 << 20];
        var n = 0;
        var rows = 0;
        var maxId = 0;
        using (var cmd = conn.CreateCommand())
        {
            cmd.CommandText = """SELECT "SourceId", "TargetId", "TypeCode" FROM relationships WHERE "DeletedAt" IS NULL""";
            cmd.CommandTimeout = 3600;
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var s = checked((int)reader.GetInt64(0));
                var t = checked((int)reader.GetInt64(1));
                var type = reader.GetString(2);
                rows++;
                maxId = Math.Max(maxId, Math.Max(s, t));
                if (n + 2 > from.Length)
                {
                    Array.Resize(ref from, from.Length * 2);
                    Array.Resize(ref to, to.Length * 2);
                }
                if (t2s.Contains(type)) { from[n] = t; to[n] = s; n++; }
                if (s2t.Contains(type)) { from[n] = s; to[n] = t; n++; }
            }
        }
        var read = sw.Elapsed;
        sw.Restart();
        var offsets = new int[maxId + 2];
        for (var i = 0; i < n; i++) offsets[from[i] + 1]++;
        for (var i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        var fill = (int[])offsets.Clone();
        var targets = new int[n];
        for (var i = 0; i < n; i++) targets[fill[from[i]]++] = to[i];
        var g = new BareGraph(offsets, targets) { ReadTime = read, BuildTime = sw.Elapsed, LiveRelationships = rows };
        return g;
    }

    /// <summary>Every CI the start's failure reaches (the start included), and how many steps the farthest is away.</summary>
    public (int Radius, int Depth) Impact(long startId)
    {
        var stamp = ++_stamp;
        var start = (int)startId;
        _seen[start] = stamp;
        _queue[0] = start;
        int head = 0, tail = 1, depth = 0;
        while (head < tail)
        {
            var levelEnd = tail;
            while (head < levelEnd)
            {
                var v = _queue[head++];
                for (var e = _offsets[v]; e < _offsets[v + 1]; e++)
                {
                    var w = _targets[e];
                    if (_seen[w] == stamp) continue;
                    _seen[w] = stamp;
                    _queue[tail++] = w;
                }
            }
            if (tail > levelEnd) depth++;
        }
        return (tail, depth);
    }

    /// <summary>The same walk from several start CIs at once (a change's CIs): every CI their failure reaches, the starts included.</summary>
    public int Impact(IReadOnlyList<long> startIds)
    {
        var stamp = ++_stamp;
        int head = 0, tail = 0, isolated = 0;
        foreach (var id in startIds)
        {
            var s = (int)id;
            if (s >= _seen.Length) { isolated++; continue; } // past the last CI with a relationship: nothing to walk
            if (_seen[s] == stamp) continue;
            _seen[s] = stamp;
            _queue[tail++] = s;
        }
        while (head < tail)
        {
            var v = _queue[head++];
            for (var e = _offsets[v]; e < _offsets[v + 1]; e++)
            {
                var w = _targets[e];
                if (_seen[w] == stamp) continue;
                _seen[w] = stamp;
                _queue[tail++] = w;
            }
        }
        return tail + isolated;
    }

    /// <summary>The relationships that carry the CI's failure on (for a database: the components using it).</summary>
    public int OutDegree(long id) => _offsets[id + 1] - _offsets[id];
}

/// <summary>
/// The same impact query as a depth-limited recursive CTE on the database: from the start CI, each step follows the
/// live relationships in their type's impact direction (join on TargetId for target-to-source types, on SourceId for
/// source-to-target ones), with a depth column to stop at the limit. With the depth column UNION removes only repeated
/// (id, depth) pairs, so a CI reached again at another depth is expanded again: that is the usual way to write it, and
/// what a depth limit costs. The count is of distinct CIs.
/// </summary>
public sealed class RecursiveCte : IDisposable
{
    private readonly DbProvider _provider;
    private readonly DbConnection _conn;
    private readonly DbCommand _cmd;
    private readonly TimeSpan _timeout;

    public string Sql { get; }

    public RecursiveCte(DbProvider provider, string connectionString, ImpactDirections d, int maxDepth, TimeSpan timeout)
    {
        _provider = provider;
        _timeout = timeout;
        static string List(IEnumerable<string> codes) => string.Join(", ", codes.Select(c => $"'{c.Replace("'", "''", StringComparison.Ordinal)}'"));
        if (provider == DbProvider.Sqlite)
        {
            // SQLite (3.34+) allows several recursive SELECTs in one CTE: one per direction.
            var steps = new List<string>();
            if (d.TargetToSource.Count > 0)
                steps.Add($"""
                    SELECT r."SourceId", i.depth + 1 FROM impacted i JOIN relationships r ON r."TargetId" = i.id
                     WHERE i.depth < {maxDepth} AND r."DeletedAt" IS NULL AND r."TypeCode" IN ({List(d.TargetToSource)})
                    """);
            if (d.SourceToTarget.Count > 0)
                steps.Add($"""
                    SELECT r."TargetId", i.depth + 1 FROM impacted i JOIN relationships r ON r."SourceId" = i.id
                     WHERE i.depth < {maxDepth} AND r."DeletedAt" IS NULL AND r."TypeCode" IN ({List(d.SourceToTarget)})
                    """);
            Sql = $"""
                WITH RECURSIVE impacted(id, depth) AS (
                  SELECT $start, 0
                  UNION
                {string.Join("\n  UNION\n", steps)}
                )
                SELECT COUNT(DISTINCT id) FROM impacted
                """;
            var conn = new SqliteConnection(connectionString);
            conn.Open();
            _conn = conn;
        }
        else
        {
            // PostgreSQL allows one reference to the recursive CTE: both directions in a LATERAL union.
            var steps = new List<string>();
            if (d.TargetToSource.Count > 0)
                steps.Add($"""SELECT r."SourceId" AS id FROM relationships r WHERE r."TargetId" = i.id AND r."DeletedAt" IS NULL AND r."TypeCode" IN ({List(d.TargetToSource)})""");
            if (d.SourceToTarget.Count > 0)
                steps.Add($"""SELECT r."TargetId" AS id FROM relationships r WHERE r."SourceId" = i.id AND r."DeletedAt" IS NULL AND r."TypeCode" IN ({List(d.SourceToTarget)})""");
            Sql = $"""
                WITH RECURSIVE impacted(id, depth) AS (
                  SELECT @start::bigint, 0
                  UNION
                  SELECT n.id, i.depth + 1 FROM impacted i CROSS JOIN LATERAL (
                    {string.Join("\n    UNION ALL\n    ", steps)}
                  ) n WHERE i.depth < {maxDepth}
                )
                SELECT COUNT(DISTINCT id) FROM impacted
                """;
            var conn = new NpgsqlConnection(connectionString);
            conn.Open();
            using (var set = conn.CreateCommand())
            {
                set.CommandText = $"SET statement_timeout = {(long)timeout.TotalMilliseconds}";
                set.ExecuteNonQuery();
            }
            _conn = conn;
        }
        _cmd = _conn.CreateCommand();
        _cmd.CommandText = Sql;
        _cmd.CommandTimeout = (int)timeout.TotalSeconds + 60;
        var p = _cmd.CreateParameter();
        p.ParameterName = provider == DbProvider.Sqlite ? "$start" : "start";
        p.Value = 0L;
        _cmd.Parameters.Add(p);
        _cmd.Prepare();
    }

    /// <summary>The radius, or null when the statement ran past the timeout (and was cancelled).</summary>
    public (int? Radius, TimeSpan Elapsed) Impact(long startId)
    {
        _cmd.Parameters[0].Value = startId;
        var sw = Stopwatch.StartNew();
        try
        {
            if (_provider == DbProvider.Sqlite)
            {
                // No statement timeout in SQLite: interrupt it from a timer.
                using var timer = new Timer(_ => _cmd.Cancel(), null, _timeout, Timeout.InfiniteTimeSpan);
                var v = _cmd.ExecuteScalar();
                return (Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture), sw.Elapsed);
            }
            var pg = _cmd.ExecuteScalar();
            return (Convert.ToInt32(pg, System.Globalization.CultureInfo.InvariantCulture), sw.Elapsed);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 9 /* SQLITE_INTERRUPT */)
        {
            return (null, sw.Elapsed);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            return (null, sw.Elapsed);
        }
    }

    public string Plan()
    {
        using var cmd = _conn.CreateCommand();
        cmd.CommandText = (_provider == DbProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + Sql;
        var p = cmd.CreateParameter();
        p.ParameterName = _provider == DbProvider.Sqlite ? "$start" : "start";
        p.Value = 1L;
        cmd.Parameters.Add(p);
        using var reader = cmd.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read()) lines.Add(_provider == DbProvider.Sqlite ? reader.GetString(3) : reader.GetString(0));
        return string.Join("\n", lines);
    }

    public void Dispose()
    {
        _cmd.Dispose();
        _conn.Dispose();
    }
}
