using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Itsm.Benchmarks;

/// <summary>
/// Fast loading of generated rows with batched multi-row INSERTs on the app's own connection, bypassing change
/// tracking. Table, column names and value conversions (e.g. SQLite's DateTimeOffset as binary ticks, Guids as
/// text, enums as int or string) all come from the app's EF model, so the loader follows the schema as it changes.
/// </summary>
public sealed class BulkLoader(DbContext db)
{
    private const int MaxParameters = 30_000; // under SQLite's 32,766 and PostgreSQL's 65,535
    private readonly ISqlGenerationHelper _sql = db.GetService<ISqlGenerationHelper>();

    /// <summary>Reads an entity object into a row (for types the benchmark may construct, e.g. users).</summary>
    public Dictionary<string, object?> RowOf(object entity)
    {
        var type = db.Model.FindEntityType(entity.GetType()) ?? throw new InvalidOperationException($"{entity.GetType().Name} is not mapped.");
        return type.GetProperties().ToDictionary(p => p.Name, p => p.GetGetter().GetClrValue(entity));
    }

    /// <summary>Inserts rows (keyed by property name) into the table of <paramref name="clrType"/>; commits every 20,000 rows.</summary>
    public async Task<int> InsertAsync(Type clrType, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows, Action<string>? warn = null)
    {
        if (rows.Count == 0) return 0;
        var entity = db.Model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = new List<(IProperty Property, string Column, RelationalTypeMapping Mapping, object? Fallback)>();
        foreach (var p in entity.GetProperties())
        {
            var column = p.GetColumnName(table);
            if (column is null) continue;
            object? fallback = null;
            if (!rows[0].ContainsKey(p.Name))
            {
                // A column the generator does not know (added since): leave it to its default if it has one.
                if (p.IsNullable || p.GetDefaultValueSql() is not null || p.GetDefaultValue() is not null || p.ValueGenerated != ValueGenerated.Never) continue;
                fallback = p.ClrType.IsValueType ? Activator.CreateInstance(p.ClrType) : p.ClrType == typeof(string) ? "" : null;
                warn?.Invoke($"{entity.GetTableName()}.{column}: not generated, filled with {fallback ?? "null"}");
            }
            columns.Add((p, column, (RelationalTypeMapping)p.GetTypeMapping(), fallback));
        }

        var head = $"INSERT INTO {_sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => _sql.DelimitIdentifier(c.Column)))}) VALUES ";
        // PostgreSQL: multi-row statements (one round trip per 500 rows). SQLite is in-process (no round trips) but looks
        // named parameters up one by one, so a wide statement costs O(n²): there, one reused single-row statement.
        var perStatement = db.Database.IsSqlite() ? 1 : Math.Max(1, Math.Min(500, MaxParameters / columns.Count));
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var done = 0;
            while (done < rows.Count)
            {
                await using var tx = await connection.BeginTransactionAsync();
                var end = Math.Min(rows.Count, done + 20_000);
                DbCommand? full = null; // reused while statements have perStatement rows (prepared once on SQLite)
                try
                {
                    for (var start = done; start < end; start += perStatement)
                    {
                        var count = Math.Min(perStatement, end - start);
                        var cmd = count == perStatement ? full ??= NewCommand(connection, tx, head, columns.Count, count) : NewCommand(connection, tx, head, columns.Count, count);
                        cmd.Parameters.Clear();
                        for (var r = 0; r < count; r++)
                        {
                            var row = rows[start + r];
                            for (var c = 0; c < columns.Count; c++)
                            {
                                var (property, _, mapping, fallback) = columns[c];
                                var value = row.TryGetValue(property.Name, out var v) ? v : fallback;
                                cmd.Parameters.Add(mapping.CreateParameter(cmd, _sql.GenerateParameterName($"p{r}_{c}"), value, property.IsNullable));
                            }
                        }
                        await cmd.ExecuteNonQueryAsync();
                        if (cmd != full) await cmd.DisposeAsync();
                    }
                }
                finally
                {
                    if (full is not null) await full.DisposeAsync();
                }
                await tx.CommitAsync();
                done = end;
            }
            return done;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private DbCommand NewCommand(DbConnection connection, DbTransaction tx, string head, int columns, int rows)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandTimeout = 600;
        var text = new StringBuilder(head);
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                if (c > 0) text.Append(", ");
                text.Append(_sql.GenerateParameterNamePlaceholder($"p{r}_{c}"));
            }
            text.Append(')');
        }
        cmd.CommandText = text.ToString();
        return cmd;
    }

    public async Task ExecuteAsync(string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using DbCommand cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.CommandTimeout = 600;
            await cmd.ExecuteNonQueryAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
