using Itsm.IntegrationTests.Support;
using Npgsql;

namespace Itsm.IntegrationTests.Tooling;

/// <summary>
/// The PostgreSQL fixture teardown while a superuser process is on the database, as an autovacuum worker once was
/// (DROP DATABASE … WITH (FORCE) was refused with 42501 and the run went red though every test passed). A superuser
/// session plays that process; it needs ITSM_TEST_POSTGRES_SUPERUSER, which `make test`'s cluster provides.
/// </summary>
[TestFixture]
public sealed class TestDatabaseTeardownTests
{
    public const string SuperuserVariable = "ITSM_TEST_POSTGRES_SUPERUSER";

    private string _superuser = null!;

    [OneTimeSetUp]
    public void RequireSuperuser()
    {
        var cs = Environment.GetEnvironmentVariable(SuperuserVariable);
        // Like ITSM_TEST_POSTGRES for every PostgreSQL test: without it the test cannot run, which is a failure, not a skip.
        if (string.IsNullOrWhiteSpace(cs))
            Assert.Fail($"{SuperuserVariable} is not set: run the suite with `make test`, which sets it for its throwaway cluster, or point it at a superuser connection.");
        // No pooling: closing the connection must end the session, as a finished autovacuum worker does.
        _superuser = new NpgsqlConnectionStringBuilder(cs) { Pooling = false }.ConnectionString;
    }

    [Test]
    public async Task Dispose_WhenASuperuserSessionIsOnTheDatabaseBriefly_DropsTheDatabase()
    {
        var database = new TestDatabase(DbProvider.Postgres);
        var name = DatabaseName(database);
        var session = HoldAsync(name, TimeSpan.FromSeconds(2));
        await WaitUntilOnAsync(name);

        Assert.DoesNotThrow(database.Dispose);

        await session;
        Assert.That(await ExistsAsync(name), Is.False, "the database is dropped once the superuser session has gone");
        Assert.That(PostgresDrop.Pending, Does.Not.Contain(name));
    }

    [Test]
    public async Task Dispose_WhenASuperuserSessionStaysOnTheDatabase_DoesNotThrowAndDropsItLater()
    {
        var database = new TestDatabase(DbProvider.Postgres);
        var name = DatabaseName(database);
        var session = HoldAsync(name, TimeSpan.FromSeconds(120));
        await WaitUntilOnAsync(name);
        try
        {
            Assert.DoesNotThrow(database.Dispose, "a teardown failure must not fail the run");
            Assert.That(PostgresDrop.Pending, Does.Contain(name), "remembered for the end of the run");
            Assert.That(await ExistsAsync(name), Is.True);
        }
        finally
        {
            await EndSessionsAsync(name);
            try { await session; } catch (PostgresException) { /* terminated, as intended */ }
        }

        PostgresDrop.DropLeftovers();
        Assert.That(await ExistsAsync(name), Is.False, "dropped at the end once the session is gone");
        Assert.That(PostgresDrop.Pending, Does.Not.Contain(name));
    }

    private static string DatabaseName(TestDatabase database) => new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!;

    /// <summary>A superuser session on <paramref name="name"/> for <paramref name="time"/>, then gone.</summary>
    private async Task HoldAsync(string name, TimeSpan time)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_superuser) { Database = name, CommandTimeout = 0 }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT pg_sleep({time.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)})", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task WaitUntilOnAsync(string name)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = @name AND usename = 'postgres' AND wait_event = 'PgSleep'", name) > 0) return;
            await Task.Delay(50);
        }
        Assert.Fail("the superuser session did not start");
    }

    private async Task EndSessionsAsync(string name) =>
        await ScalarAsync<long>("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @name", name);

    private async Task<bool> ExistsAsync(string name) =>
        await ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname = @name", name) > 0;

    private async Task<T> ScalarAsync<T>(string sql, string name)
    {
        await using var conn = new NpgsqlConnection(_superuser);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("name", name);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
