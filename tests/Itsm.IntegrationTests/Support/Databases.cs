using Npgsql;

namespace Itsm.IntegrationTests.Support;

public enum DbProvider { Sqlite, Postgres }

/// <summary>A fresh, empty database per test fixture: a temp SQLite file, or a new database on the test PostgreSQL cluster.</summary>
public sealed class TestDatabase : IDisposable
{
    public const string PostgresVariable = "ITSM_TEST_POSTGRES";

    private readonly string? _sqliteDir;
    private readonly string? _pgName;
    private readonly string? _pgAdmin;

    public DbProvider Provider { get; }
    public string ConnectionString { get; }

    public TestDatabase(DbProvider provider)
    {
        Provider = provider;
        if (provider == DbProvider.Sqlite)
        {
            _sqliteDir = Path.Combine(Path.GetTempPath(), "itsm-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_sqliteDir);
            ConnectionString = $"Data Source={Path.Combine(_sqliteDir, "itsm.db")}";
            return;
        }
        _pgAdmin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(_pgAdmin))
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the suite with `make test`, which starts a throwaway PostgreSQL, or point {PostgresVariable} at a server where the user may create databases.");
        _pgName = "itsm_t_" + Guid.NewGuid().ToString("N")[..12];
        using (var conn = new NpgsqlConnection(_pgAdmin))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgName}", conn);
            cmd.ExecuteNonQuery();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(_pgAdmin) { Database = _pgName }.ConnectionString;
    }

    public void Dispose()
    {
        if (_sqliteDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDir, recursive: true); } catch (IOException) { /* a file still open on a slow shutdown; temp is cleaned anyway */ }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            // A teardown that throws fails the whole run though every test passed: report it, and try again at the end.
            if (!PostgresDrop.TryDrop(_pgAdmin!, _pgName, out var error)) PostgresDrop.Later(_pgAdmin!, _pgName, error);
        }
    }
}

/// <summary>
/// Drops a test database on PostgreSQL without superuser rights. <c>DROP DATABASE … WITH (FORCE)</c> is refused
/// (42501) when a superuser process, typically an autovacuum worker, is on the database; a plain <c>DROP DATABASE</c>
/// stops autovacuum workers itself and waits up to 5 s for other sessions. So: no new connections, end our own
/// sessions (a role may end its own), plain drop, retried.
/// </summary>
public static class PostgresDrop
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Leftovers = new();

    public static bool TryDrop(string adminConnectionString, string name, out string error, int attempts = 3)
    {
        error = "";
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            try
            {
                using var conn = new NpgsqlConnection(adminConnectionString);
                conn.Open();
                using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", conn))
                {
                    exists.Parameters.AddWithValue("name", name);
                    if (exists.ExecuteScalar() is null) return true;
                }
                Execute(conn, $"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false");
                using (var end = new NpgsqlCommand(
                           "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()", conn))
                {
                    end.Parameters.AddWithValue("name", name);
                    end.ExecuteScalar();
                }
                Execute(conn, $"DROP DATABASE IF EXISTS {name}");
                return true;
            }
            catch (Exception e)
            {
                error = $"attempt {attempt}: {e.Message}";
                if (attempt < attempts) Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
        }
        return false;
    }

    /// <summary>Remembers a database that would not drop; <see cref="DropLeftovers"/> tries again once the fixtures are done.</summary>
    public static void Later(string adminConnectionString, string name, string error)
    {
        Leftovers[name] = adminConnectionString;
        TestContext.Progress.WriteLine($"warning: test database {name} could not be dropped yet ({error}); trying again at the end of the run.");
    }

    public static IReadOnlyCollection<string> Pending => Leftovers.Keys.ToList();

    /// <summary>Tries every remembered database once more; reports, never throws (the cluster is thrown away anyway).</summary>
    public static void DropLeftovers()
    {
        foreach (var (name, admin) in Leftovers.ToArray())
        {
            if (TryDrop(admin, name, out var error, attempts: 1)) Leftovers.TryRemove(name, out _);
            else TestContext.Progress.WriteLine($"warning: test database {name} is left on the server ({error}).");
        }
    }

    private static void Execute(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }
}
