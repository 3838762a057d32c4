using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// Applies the versioned SQL migrations kept in Persistence/Migrations/{Sqlite,Postgres} (embedded), in order,
/// each once and in its own transaction, recording them in schema_migrations. EF Core's own migration
/// tooling needs EF Core Design, which does not restore here (docs/decisions/0002-migrations-as-sql.md).
/// </summary>
public sealed class SchemaMigrator(ItsmDbContext db, ILogger<SchemaMigrator> logger)
{
    // An arbitrary constant: several instances starting together take turns.
    private const long PostgresLockKey = 4_711_2026;

    public static IReadOnlyList<(string Version, string Sql)> Scripts(bool postgres)
    {
        var folder = postgres ? "Postgres" : "Sqlite";
        var prefix = $"Itsm.Infrastructure.Persistence.Migrations.{folder}.";
        var assembly = typeof(SchemaMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                return (n[prefix.Length..^4], reader.ReadToEnd());
            }).ToList();
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct = default)
    {
        var postgres = db.Database.IsNpgsql();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (postgres) await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", ct);
            await ExecuteAsync(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version varchar(200) PRIMARY KEY, applied_at varchar(40) NOT NULL)", ct);
            var applied = new HashSet<string>();
            await using (var cmd = connection.CreateCommand())
            {
                cmd.CommandText = "SELECT version FROM schema_migrations";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
            }
            var done = new List<string>();
            foreach (var (version, sql) in Scripts(postgres).Where(s => !applied.Contains(s.Version)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, tx, sql, ct);
                await ExecuteAsync(connection, tx,
                    $"INSERT INTO schema_migrations (version, applied_at) VALUES ('{version}', '{DateTimeOffset.UtcNow:O}')", ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Version}", version);
                done.Add(version);
            }
            if (postgres) await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", ct);
            return done;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
