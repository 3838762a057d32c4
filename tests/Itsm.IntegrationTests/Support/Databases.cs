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
            using var conn = new NpgsqlConnection(_pgAdmin);
            conn.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", conn);
            cmd.ExecuteNonQuery();
        }
    }
}
