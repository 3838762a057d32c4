using System.Collections.Concurrent;
using System.Data.Common;
using System.Linq.Expressions;
using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using SQLitePCL;

namespace Itsm.Infrastructure.Cmdb;

/// <summary>
/// <see cref="ICmdbBulkWriter"/> on the DbContext's own connection and transaction. The ids are taken first (SQLite:
/// past the table's highest, as the single writer holding the write lock; PostgreSQL: from the identity's sequence),
/// so no row has to be read back: SQLite then steps one prepared INSERT per row, its values rebound; PostgreSQL
/// streams the rows with a binary COPY. Columns and encodings come from the EF model (its column names, type mappings
/// and value converters: ticks for times on SQLite, the JSON of the attributes), so a row reads back as if EF wrote it.
/// </summary>
public sealed class CmdbBulkWriter(ItsmDbContext db) : ICmdbBulkWriter
{
    private static readonly ConcurrentDictionary<(IModel, Type), Table> Tables = new();

    public Task InsertAsync(IReadOnlyList<ConfigurationItem> cis, CancellationToken ct) => InsertRowsAsync(cis, ct);
    public Task InsertAsync(IReadOnlyList<Relationship> relationships, CancellationToken ct) => InsertRowsAsync(relationships, ct);
    public Task InsertAsync(IReadOnlyList<CmdbChangeEntry> entries, CancellationToken ct) => InsertRowsAsync(entries, ct);

    private async Task InsertRowsAsync<T>(IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        // Outside a transaction a failure would leave half the rows behind: the import's unit of work has one open.
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Bulk writes run inside the unit of work's transaction.");
        var connection = db.Database.GetDbConnection();
        var table = Tables.GetOrAdd((db.Model, typeof(T)), key => Table.Of(key.Item1.FindEntityType(key.Item2)!));
        if (db.Database.IsSqlite())
        {
            var next = await SqliteNextIdAsync(connection, transaction, table, ct);
            for (var i = 0; i < rows.Count; i++) table.SetId(rows[i], next + i);
            SqliteInsert(connection, table, rows);
        }
        else
        {
            var ids = await PostgresReserveIdsAsync(connection, transaction, table, rows.Count, ct);
            for (var i = 0; i < rows.Count; i++) table.SetId(rows[i], ids[i]);
            await PostgresCopyAsync((NpgsqlConnection)connection, table, rows, ct);
        }
    }

    /// <summary>
    /// The first free id. AUTOINCREMENT never hands out an id again, so past sqlite_sequence's too. Safe to take
    /// ourselves: the changeset's insert before this holds the database's write lock until the transaction ends.
    /// </summary>
    private static async Task<long> SqliteNextIdAsync(DbConnection connection, DbTransaction transaction, Table table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = $"SELECT MAX(COALESCE((SELECT \"seq\" FROM sqlite_sequence WHERE \"name\" = '{table.Name}'), 0), " +
                          $"COALESCE((SELECT MAX({table.Key}) FROM {table.Quoted}), 0)) + 1";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    /// <summary>
    /// One statement, prepared once, stepped per row with its values bound by position, on SQLite's own API:
    /// through SqliteCommand every row paid a data reader and a by-name lookup per parameter, most of its cost. It
    /// runs in the connection's open transaction (SQLite's are per connection).
    /// </summary>
    private static void SqliteInsert<T>(DbConnection connection, Table table, IReadOnlyList<T> rows) where T : class
    {
        var handle = ((SqliteConnection)connection).Handle!;
        var sql = $"INSERT INTO {table.Quoted} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "?" + (i + 1)))})";
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, handle);
        using (statement)
            foreach (var row in rows)
            {
                for (var i = 0; i < table.Columns.Count; i++) Bind(statement, i + 1, table.Columns[i].Read(row));
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, handle);
                raw.sqlite3_reset(statement);
            }
    }

    /// <summary>
    /// A stored value (after the EF converters) as Microsoft.Data.Sqlite binds it for EF's SQLite mappings. Text is
    /// bound as the string's own UTF-16 (SQLite copies and converts it): the string overload encoded every value into a
    /// new array first, a million allocations for an import of 100,000 CIs.
    /// </summary>
    private static void Bind(sqlite3_stmt statement, int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            "" => raw.sqlite3_bind_text(statement, index, ""), // an empty span would bind NULL
            string s => raw.sqlite3_bind_text16(statement, index, s.AsSpan()),
            long l => raw.sqlite3_bind_int64(statement, index, l),
            int n => raw.sqlite3_bind_int64(statement, index, n),
            bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
            Guid g => BindGuid(statement, index, g),
            double d => raw.sqlite3_bind_double(statement, index, d),
            _ => throw new NotSupportedException($"The bulk writer does not bind {value.GetType().Name} on SQLite."),
        };
        if (rc != raw.SQLITE_OK) throw new InvalidOperationException($"SQLite could not bind parameter {index} (error {rc}).");
    }

    /// <summary>EF stores a Guid as upper-case text.</summary>
    private static int BindGuid(sqlite3_stmt statement, int index, Guid g)
    {
        Span<char> text = stackalloc char[36];
        g.TryFormat(text, out _);
        for (var i = 0; i < text.Length; i++) text[i] = char.ToUpperInvariant(text[i]);
        return raw.sqlite3_bind_text16(statement, index, text);
    }

    /// <summary>As many ids as rows from the column's identity sequence, in one round trip.</summary>
    private static async Task<long[]> PostgresReserveIdsAsync(DbConnection connection, DbTransaction transaction, Table table, int count, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = "SELECT nextval(pg_get_serial_sequence(@table, @column)) FROM generate_series(1, @count)";
        cmd.Parameters.Add(new NpgsqlParameter("table", table.Quoted));
        cmd.Parameters.Add(new NpgsqlParameter("column", table.KeyColumn));
        cmd.Parameters.Add(new NpgsqlParameter("count", count));
        var ids = new long[count];
        var n = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) ids[n++] = reader.GetInt64(0);
        if (n != count) throw new InvalidOperationException($"Reserved {n} ids for {table.Name}, not {count}.");
        return ids;
    }

    /// <summary>
    /// Binary COPY: no SQL per row. It runs in the connection's open transaction. Values are written by their CLR
    /// type after conversion (long as bigint, string as text, DateTimeOffset as timestamptz...), which is what the
    /// columns are; writes go to Npgsql's buffer, so the synchronous calls only block when it flushes.
    /// </summary>
    private static async Task PostgresCopyAsync<T>(NpgsqlConnection connection, Table table, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table.Quoted} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            copy.StartRow();
            foreach (var column in table.Columns)
                if (column.Read(row) is { } value) copy.Write(value);
                else copy.WriteNull();
        }
        await copy.CompleteAsync(ct);
    }

    private sealed record Column(string Name, Func<object, object?> Read);

    /// <summary>An entity's table as EF maps it: every column, how to read its stored value from an entity, how to set the id.</summary>
    private sealed class Table
    {
        public required string Name { get; init; }
        public required string KeyColumn { get; init; }
        public required IReadOnlyList<Column> Columns { get; init; }
        public required Action<object, long> SetId { get; init; }
        public string Quoted => Quote(Name);
        public string Key => Quote(KeyColumn);
        public string ColumnList => string.Join(", ", Columns.Select(c => Quote(c.Name)));

        public static Table Of(IEntityType type)
        {
            var store = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var key = type.FindPrimaryKey()!.Properties.Single();
            var columns = new List<Column>();
            foreach (var p in type.GetProperties())
            {
                // What EF would generate or read back, other than the id, this writer cannot give.
                if (p.IsShadowProperty() || (p != key && p.ValueGenerated != ValueGenerated.Never))
                    throw new NotSupportedException($"{type.DisplayName()}.{p.Name}: only the id may be generated by the database.");
                var getter = p.GetGetter();
                var converter = p.GetRelationalTypeMapping().Converter;
                Func<object, object?> read = converter is null
                    ? e => getter.GetClrValueUsingContainingEntity(e)
                    : e => converter.ConvertToProvider(getter.GetClrValueUsingContainingEntity(e));
                columns.Add(new Column(p.GetColumnName(store)!, read));
            }
            return new Table { Name = store.Name, KeyColumn = key.GetColumnName(store)!, Columns = columns, SetId = Setter(type.ClrType, key.PropertyInfo!) };
        }

        /// <summary>The id's (private) setter as a compiled delegate: no reflection per row.</summary>
        private static Action<object, long> Setter(Type clrType, System.Reflection.PropertyInfo id)
        {
            var entity = Expression.Parameter(typeof(object));
            var value = Expression.Parameter(typeof(long));
            return Expression.Lambda<Action<object, long>>(
                Expression.Assign(Expression.Property(Expression.Convert(entity, clrType), id), value), entity, value).Compile();
        }

        private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
