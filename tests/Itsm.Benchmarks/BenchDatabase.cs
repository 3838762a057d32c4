using Microsoft.Data.Sqlite;
using Npgsql;

namespace Itsm.Benchmarks;

public enum DbProvider { Sqlite, Postgres }

/// <summary>
/// A fresh, empty database per run: a new SQLite file in a temp folder (the app puts it in WAL mode), or a new
/// database on the PostgreSQL server named by ITSM_TEST_POSTGRES (`source &lt;(scripts/pg-test-cluster.sh start)`).
/// Removed afterwards.
/// </summary>
public sealed class BenchDatabase : IDisposable
{
    public const string PostgresVariable = "ITSM_TEST_POSTGRES";

    private readonly string? _sqliteDir;
    private readonly string? _pgName;
    private readonly string? _pgAdmin;

    public DbProvider Provider { get; }
    public string ConnectionString { get; }
    /// <summary>Where the data lives, for the results file (no password).</summary>
    public string Description { get; }

    /// <summary>Leave the database in place on Dispose (its location is printed).</summary>
    public bool Keep { get; init; }

    public BenchDatabase(DbProvider provider)
    {
        Provider = provider;
        if (provider == DbProvider.Sqlite)
        {
            _sqliteDir = Path.Combine(Path.GetTempPath(), "itsm-bench", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_sqliteDir);
            var file = Path.Combine(_sqliteDir, "itsm.db");
            ConnectionString = $"Data Source={file}";
            Description = $"SQLite file {file}";
            return;
        }
        _pgAdmin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(_pgAdmin))
            throw new UsageException(
                $"{PostgresVariable} is not set. Start a throwaway server with `source <(scripts/pg-test-cluster.sh start)` (stop it with `scripts/pg-test-cluster.sh stop`), or point {PostgresVariable} at a server where the user may create databases.");
        _pgName = "itsm_bench_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(_pgAdmin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgName}", conn);
            cmd.ExecuteNonQuery();
        }
        var builder = new NpgsqlConnectionStringBuilder(_pgAdmin) { Database = _pgName };
        ConnectionString = builder.ConnectionString;
        Description = $"PostgreSQL database {_pgName} on {builder.Host}:{builder.Port}";
    }

    /// <summary>Drops every pooled connection, so a restarted app starts with cold connections and caches.</summary>
    public void ClearPools()
    {
        if (Provider == DbProvider.Sqlite) SqliteConnection.ClearAllPools();
        else NpgsqlConnection.ClearAllPools();
    }

    /// <summary>The server's version, e.g. "SQLite 3.46.1" or "PostgreSQL 15.14".</summary>
    public string ServerVersion()
    {
        if (Provider == DbProvider.Sqlite)
        {
            using var conn = new SqliteConnection(ConnectionString);
            conn.Open();
            return "SQLite " + conn.ServerVersion;
        }
        using var pg = new NpgsqlConnection(ConnectionString);
        pg.Open();
        return "PostgreSQL " + pg.PostgreSqlVersion;
    }

    public void Dispose()
    {
        ClearPools();
        if (Keep)
        {
            Terminal.WriteLine($"  kept: {Description}");
            return;
        }
        if (_sqliteDir is not null)
        {
            try { Directory.Delete(_sqliteDir, recursive: true); } catch (IOException) { /* a file still open; temp is cleaned anyway */ }
        }
        if (_pgName is not null)
        {
            using var conn = new NpgsqlConnection(_pgAdmin);
            conn.Open();
            try
            {
                using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", conn);
                cmd.ExecuteNonQuery();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                // FORCE may not end a superuser's session (an autovacuum worker on the loaded tables); a plain DROP stops
                // autovacuum itself, and our own sessions went with the pools above.
                using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName}", conn);
                cmd.ExecuteNonQuery();
            }
        }
    }
}

/// <summary>A mistake in how the benchmark was called: printed without a stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
