using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>
/// Writes a generated estate straight into the tables of migration 0010 on a database the app has already migrated:
/// on SQLite one prepared INSERT per table, reused, in transactions of 100,000 rows (the loader's own connection with
/// synchronous=OFF and a large page cache: it is a bulk load, not the app's durable writes); on PostgreSQL binary COPY
/// through Npgsql, then the identity sequences moved past the loaded ids and VACUUM (ANALYZE), as autovacuum would.
/// Ids continue after whatever is in the tables already (e.g. demo data), so the estate's CI number i has id
/// <see cref="CiIdBase"/> + i + 1.
/// </summary>
public sealed class EstateLoader(DbProvider provider, string connectionString)
{
    public long CiIdBase { get; private set; }
    public long ChangesetIdBase { get; private set; }
    public long RelationshipIdBase { get; private set; }

    public sealed record Timing(string Table, long Rows, TimeSpan Elapsed);

    public const string Actor = "bench-estate-generator";

    public async Task<List<Timing>> LoadAsync(EstateGenerator.Estate e)
    {
        var timings = new List<Timing>();
        await using var conn = Open();
        CiIdBase = await MaxIdAsync(conn, "configuration_items");
        ChangesetIdBase = await MaxIdAsync(conn, "cmdb_changesets");
        RelationshipIdBase = await MaxIdAsync(conn, "relationships");
        var entryBase = await MaxIdAsync(conn, "cmdb_change_entries");
        if (provider == DbProvider.Sqlite)
            foreach (var pragma in new[] { "PRAGMA synchronous=OFF", "PRAGMA cache_size=-262144" })
                await ExecAsync(conn, pragma);

        var csAt = e.Changesets.Select(c => c.At).ToArray();
        var rels = e.Relationships;

        await TimedAsync("cmdb_changesets", ["Id", "At", "ActorId", "ActorName", "Reason", "ChangeNumber", "Source"], e.Changesets.Count, (s, k) =>
        {
            s.Long(ChangesetIdBase + k + 1); s.Time(csAt[k]); s.Text(Actor); s.Text("Estate generator (benchmark)");
            s.Text(e.Changesets[k].Reason); s.Null(); s.Text("bench-discovery");
        });
        await TimedAsync("configuration_items",
            ["Id", "ClassCode", "Name", "Status", "Environment", "Criticality", "OwnerGroupId", "SupportGroupId", "Restricted", "RedundancyNeeded",
             "RedundancyIsPercent", "Attributes", "AttributeSources", "Source", "NativeKey", "IdentityKey", "CreatedAt", "CreatedChangesetId",
             "UpdatedAt", "UpdatedChangesetId", "Version"], e.CiCount, (s, i) =>
        {
            var cs = e.CiChangeset[i];
            var name = e.Name(i);
            s.Long(CiIdBase + i + 1); s.Text(EstateGenerator.ClassCodes[e.Class[i]]); s.Text(name); s.Int(e.Status[i]);
            s.Text(EstateGenerator.Environments[e.Environment[i]]); s.Int(e.Criticality[i]); s.Null(); s.Null(); s.Bool(e.Restricted[i]);
            if (e.RedundancyNeeded[i] >= 0) s.Int(e.RedundancyNeeded[i]); else s.Null();
            s.Bool(e.RedundancyIsPercent[i]); s.Text(e.Attributes(i)); s.Text("{}"); s.Text("bench-discovery");
            s.Text(EstateGenerator.ClassCodes[e.Class[i]] + "/" + name); s.Text(e.IdentityKey(i));
            s.Time(csAt[cs]); s.Long(ChangesetIdBase + cs + 1); s.Time(csAt[cs]); s.Long(ChangesetIdBase + cs + 1); s.Int(1);
        });
        await TimedAsync("relationships", ["Id", "TypeCode", "SourceId", "TargetId", "CreatedAt", "CreatedChangesetId", "DeletedAt", "DeletedChangesetId"], rels.Count, (s, r) =>
        {
            var created = rels.CreatedChangeset[r];
            var deleted = rels.DeletedChangeset[r];
            s.Long(RelationshipIdBase + r + 1); s.Text(EstateGenerator.TypeCodes[rels.Type[r]]);
            s.Long(CiIdBase + rels.Source[r] + 1); s.Long(CiIdBase + rels.Target[r] + 1);
            s.Time(csAt[created]); s.Long(ChangesetIdBase + created + 1);
            if (deleted >= 0) { s.Time(csAt[deleted]); s.Long(ChangesetIdBase + deleted + 1); }
            else { s.Null(); s.Null(); }
        });
        await TimedAsync("cmdb_change_entries", ["Id", "ChangesetId", "CiId", "RelationshipId", "Kind", "Field", "OldValue", "NewValue"], e.Entries.Count, (s, k) =>
        {
            // As the domain writes them (CmdbChangeEntry.Linked / Unlinked): the source CI, the type, the target id.
            var (cs, r, created) = e.Entries[k];
            var target = (CiIdBase + rels.Target[r] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            s.Long(entryBase + k + 1); s.Long(ChangesetIdBase + cs + 1); s.Long(CiIdBase + rels.Source[r] + 1); s.Long(RelationshipIdBase + r + 1);
            s.Text(created ? "relationship-created" : "relationship-deleted"); s.Text(EstateGenerator.TypeCodes[rels.Type[r]]);
            if (created) { s.Null(); s.Text(target); } else { s.Text(target); s.Null(); }
        });

        var sw = Stopwatch.StartNew();
        if (provider == DbProvider.Postgres)
        {
            foreach (var table in new[] { "cmdb_changesets", "configuration_items", "relationships", "cmdb_change_entries" })
                await ExecAsync(conn, $"""SELECT setval(pg_get_serial_sequence('{table}', 'Id'), (SELECT max("Id") FROM {table}))""");
            await ExecAsync(conn, "VACUUM (ANALYZE)");
            timings.Add(new Timing("VACUUM (ANALYZE)", 0, sw.Elapsed));
        }
        else
        {
            await ExecAsync(conn, "PRAGMA wal_checkpoint(TRUNCATE)");
            timings.Add(new Timing("WAL checkpoint", 0, sw.Elapsed));
        }
        return timings;

        async Task TimedAsync(string table, string[] columns, int count, Action<IRowSink, int> row)
        {
            var t = Stopwatch.StartNew();
            await using (var sink = provider == DbProvider.Sqlite ? (IRowSink)new SqliteSink((SqliteConnection)conn, table, columns) : new CopySink((NpgsqlConnection)conn, table, columns))
            {
                for (var i = 0; i < count; i++)
                {
                    sink.StartRow();
                    row(sink, i);
                }
                await sink.CompleteAsync();
            }
            timings.Add(new Timing(table, count, t.Elapsed));
            Terminal.WriteLine($"    {table}: {count:N0} rows in {t.Elapsed.TotalSeconds:0.0} s ({count / Math.Max(t.Elapsed.TotalSeconds, 1e-3):N0} rows/s)");
        }
    }

    public DbConnection Open()
    {
        DbConnection conn = provider == DbProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        conn.Open();
        return conn;
    }

    private static async Task<long> MaxIdAsync(DbConnection conn, string table)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = $"""SELECT COALESCE(MAX("Id"), 0) FROM {table}""";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecAsync(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 3600;
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>One row's values, column by column, in the order of the column list.</summary>
    private interface IRowSink : IAsyncDisposable
    {
        void StartRow();
        void Long(long v);
        void Int(int v);
        void Text(string v);
        void Bool(bool v);
        void Time(DateTimeOffset v);
        void Null();
        Task CompleteAsync();
    }

    /// <summary>SQLite: one prepared single-row INSERT, its parameters reused; a commit every 100,000 rows.</summary>
    private sealed class SqliteSink : IRowSink
    {
        private const int RowsPerTransaction = 100_000;
        private static readonly DateTimeOffsetToBinaryConverter Binary = new();
        private readonly SqliteConnection _conn;
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter[] _p;
        private SqliteTransaction _tx;
        private int _col = -1;
        private int _rows;

        public SqliteSink(SqliteConnection conn, string table, string[] columns)
        {
            _conn = conn;
            _tx = conn.BeginTransaction();
            _cmd = conn.CreateCommand();
            _cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
            _p = columns.Select((_, i) => _cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
            _cmd.Transaction = _tx;
            _cmd.Prepare();
        }

        /// <summary>The app's SQLite mapping of DateTimeOffset (ItsmDbContext: DateTimeOffsetToBinaryConverter).</summary>
        public static long ToBinary(DateTimeOffset v) => (long)Binary.ConvertToProvider(v)!;

        public void StartRow()
        {
            if (_col >= 0) Flush();
            _col = 0;
        }

        private void Flush()
        {
            _cmd.ExecuteNonQuery();
            if (++_rows % RowsPerTransaction == 0)
            {
                _tx.Commit();
                _tx.Dispose();
                _tx = _conn.BeginTransaction();
                _cmd.Transaction = _tx;
            }
        }

        public void Long(long v) => _p[_col++].Value = v;
        public void Int(int v) => _p[_col++].Value = v;
        public void Text(string v) => _p[_col++].Value = v;
        public void Bool(bool v) => _p[_col++].Value = v ? 1 : 0;
        public void Time(DateTimeOffset v) => _p[_col++].Value = ToBinary(v);
        public void Null() => _p[_col++].Value = DBNull.Value;

        public Task CompleteAsync()
        {
            if (_col >= 0) Flush();
            _col = -1;
            _tx.Commit();
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _cmd.Dispose();
            _tx.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>PostgreSQL: binary COPY; the column types as migration 0010 declares them.</summary>
    private sealed class CopySink(NpgsqlConnection conn, string table, string[] columns) : IRowSink
    {
        private readonly NpgsqlBinaryImporter _copy =
            conn.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)");

        public void StartRow() => _copy.StartRow();
        public void Long(long v) => _copy.Write(v, NpgsqlDbType.Bigint);
        public void Int(int v) => _copy.Write(v, NpgsqlDbType.Integer);
        public void Text(string v) => _copy.Write(v, NpgsqlDbType.Text);
        public void Bool(bool v) => _copy.Write(v, NpgsqlDbType.Boolean);
        public void Time(DateTimeOffset v) => _copy.Write(v.UtcDateTime, NpgsqlDbType.TimestampTz);
        public void Null() => _copy.WriteNull();
        public async Task CompleteAsync() => await _copy.CompleteAsync();
        public ValueTask DisposeAsync() => _copy.DisposeAsync();
    }
}
