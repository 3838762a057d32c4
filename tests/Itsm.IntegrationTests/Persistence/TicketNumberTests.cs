using System.Data.Common;
using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>
/// Ticket numbers (docs/decisions/0008): unique and increasing under concurrent creates on both providers; on
/// PostgreSQL from sequences that never wait for another create's transaction (a rolled-back create leaves a gap),
/// on SQLite from the number row in the single writer's turn (no gaps); migration 0006 starts each sequence after
/// the numbers already handed out.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class TicketNumberTests(DbProvider provider)
{
    private bool Postgres => provider == DbProvider.Postgres;

    [Test]
    public async Task NextAsync_UnderConcurrentCreates_HandsOutUniqueNumbersIncreasingForEachCaller()
    {
        using var database = new TestDatabase(provider);
        await using var services = await MigratedAsync(database);
        const int callers = 8, each = 25;

        var taken = await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < each; i++) mine.Add(await CreateAsync(services, TicketKind.Incident, holdMs: 1));
            return mine;
        })));

        var all = taken.SelectMany(n => n).ToList();
        Assert.That(all, Is.Unique);
        foreach (var mine in taken) Assert.That(mine, Is.Ordered.Ascending, "each caller's numbers go up");
        Assert.That(all.Order(), Is.EqualTo(Enumerable.Range((int)TicketNumberGenerator.FirstNumber, callers * each).Select(n => (long)n)),
            "nothing rolled back, so nothing is skipped");
    }

    [Test]
    public async Task NextAsync_AfterARolledBackCreate_GivesNoDuplicate_AndOnPostgresLeavesAGap()
    {
        using var database = new TestDatabase(provider);
        await using var services = await MigratedAsync(database);

        var first = await CreateAsync(services, TicketKind.Problem);
        long rolledBack = 0;
        Assert.ThrowsAsync<InvalidOperationException>(async () => await CreateAsync(services, TicketKind.Problem,
            onNumber: n => { rolledBack = n; throw new InvalidOperationException("the create fails after taking its number"); }));
        var next = await CreateAsync(services, TicketKind.Problem);

        Assert.That(rolledBack, Is.EqualTo(first + 1));
        Assert.That(next, Is.GreaterThan(first));
        if (Postgres) Assert.That(next, Is.EqualTo(rolledBack + 1), "PostgreSQL: the rolled-back number stays unused");
        else Assert.That(next, Is.EqualTo(rolledBack), "SQLite: the number row was rolled back with the create");
    }

    [Test]
    public async Task Migration0006_OnADatabaseWithNumbers_NextNumberFollowsTheHighestHandedOut()
    {
        using var database = new TestDatabase(provider);
        await using var services = InfrastructureServices.For(database);
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version varchar(200) PRIMARY KEY, applied_at varchar(40) NOT NULL)");
            foreach (var (version, sql) in SchemaMigrator.Scripts(Postgres).Where(s => string.CompareOrdinal(s.Version, "0006") < 0))
            {
                await ExecuteAsync(connection, sql);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ('{version}', 'test')");
            }
            // As the app left them before 0006: a row per prefix, and tickets numbered below each row's next value ...
            foreach (var (prefix, next) in new[] { ("INC", 1234L), ("PRB", 1001L), ("CHG", 5000L), ("REQ", 1001L), ("TASK", 1001L) })
                await ExecuteAsync(connection, $"INSERT INTO number_sequences (\"Prefix\", \"Next\") VALUES ('{prefix}', {next})");
            await InsertTicketAsync(connection, "INC0001233");
            await InsertTicketAsync(connection, "CHG0004999");
            // ... except one loaded by hand past its row (PostgreSQL starts after it; SQLite trusts its row, as before).
            if (Postgres) await InsertTicketAsync(connection, "TASK0001500");
            await db.Database.CloseConnectionAsync();
        }

        using (var scope = services.CreateScope())
        {
            var applied = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
            if (Postgres) Assert.That(applied, Does.Contain("0006_ticket_number_sequences"));
        }

        Assert.That(await CreateAsync(services, TicketKind.Incident), Is.EqualTo(1234));
        Assert.That(await CreateAsync(services, TicketKind.Problem), Is.EqualTo(1001));
        Assert.That(await CreateAsync(services, TicketKind.Change), Is.EqualTo(5000));
        Assert.That(await CreateAsync(services, TicketKind.Request), Is.EqualTo(1001));
        Assert.That(await CreateAsync(services, TicketKind.Task), Is.EqualTo(Postgres ? 1501 : 1001));
        if (Postgres)
        {
            using var scope = services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            Assert.That(await db.NumberSequences.CountAsync(), Is.Zero, "PostgreSQL: no number row is left to mislead a reader");
        }
    }

    [Test]
    public async Task MovePastAsync_AfterAnImport_NextNumberFollowsIt_AndNeverMovesBack()
    {
        using var database = new TestDatabase(provider);
        await using var services = await MigratedAsync(database);
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            Assert.That(await TicketNumberGenerator.PeekAsync(db, TicketKind.Request), Is.EqualTo(TicketNumberGenerator.FirstNumber));
            await TicketNumberGenerator.MovePastAsync(db, TicketKind.Request, 5000);
            Assert.That(await TicketNumberGenerator.PeekAsync(db, TicketKind.Request), Is.EqualTo(5001));
        }
        Assert.That(await CreateAsync(services, TicketKind.Request), Is.EqualTo(5001));
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            await TicketNumberGenerator.MovePastAsync(db, TicketKind.Request, 100);
            Assert.That(await TicketNumberGenerator.PeekAsync(db, TicketKind.Request), Is.EqualTo(5002));
        }
    }

    internal static async Task<ServiceProvider> MigratedAsync(TestDatabase database)
    {
        var services = InfrastructureServices.For(database);
        using var scope = services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
        await TicketNumberGenerator.EnsureSequencesAsync(scope.ServiceProvider.GetRequiredService<ItsmDbContext>(), default);
        return services;
    }

    /// <summary>A create as the app runs it: a number taken inside the command's unit of work, in a scope of its own.</summary>
    internal static async Task<long> CreateAsync(IServiceProvider services, TicketKind kind, int holdMs = 0, Action<long>? onNumber = null)
    {
        using var scope = services.CreateScope();
        var numbers = scope.ServiceProvider.GetRequiredService<ITicketNumberGenerator>();
        return await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().RunAsync(async ct =>
        {
            var number = (await numbers.NextAsync(kind, ct)).Sequence;
            onNumber?.Invoke(number);
            if (holdMs > 0) await Task.Delay(holdMs, ct); // the rest of a create's transaction
            return number;
        }, default);
    }

    private async Task InsertTicketAsync(DbConnection connection, string number)
    {
        object id = Postgres ? Guid.NewGuid() : Guid.NewGuid().ToString().ToUpperInvariant();
        var now = DateTimeOffset.UtcNow;
        object at = Postgres ? now : now.ToBinaryTicks();
        await ExecuteAsync(connection,
            "INSERT INTO tickets (\"Id\", \"Kind\", \"Number\", \"ShortDescription\", \"State\", \"Impact\", \"Urgency\", \"Priority\", \"RequesterId\", " +
            "\"RequesterName\", \"ReassignmentCount\", \"ReopenCount\", \"OpenedAt\", \"UpdatedAt\", \"Version\") " +
            "VALUES (@id, 'Incident', @number, 'Imported', 'new', 3, 3, 4, 'u1', 'Carl Caller', 0, 0, @at, @at, 1)",
            ("id", id), ("number", number), ("at", at));
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>PostgreSQL only: SQLite has one writer by design, so there creates take turns.</summary>
public sealed class PostgresTicketNumberTests
{
    [Test]
    public async Task NextAsync_DoesNotWaitForAnotherCreatesOpenTransaction()
    {
        using var database = new TestDatabase(DbProvider.Postgres);
        await using var services = await TicketNumberTests.MigratedAsync(database);

        using var slow = services.CreateScope();
        var slowDb = slow.ServiceProvider.GetRequiredService<ItsmDbContext>();
        await using var slowTx = await slowDb.Database.BeginTransactionAsync();
        var slowNumber = (await slow.ServiceProvider.GetRequiredService<ITicketNumberGenerator>().NextAsync(TicketKind.Change, default)).Sequence;

        // With the number row of old, this create would wait on the slow one's row lock until it ends.
        var fast = await TicketNumberTests.CreateAsync(services, TicketKind.Change).WaitAsync(TimeSpan.FromSeconds(10));
        await slowTx.RollbackAsync();
        var after = await TicketNumberTests.CreateAsync(services, TicketKind.Change);

        Assert.That(fast, Is.EqualTo(slowNumber + 1));
        Assert.That(after, Is.EqualTo(fast + 1));
    }
}
