using System.Data.Common;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>
/// Migration 0004 turns the per-field audit rows of a database made before it into one change per actor and
/// moment, keeping every field, its values and their order.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class HistoryMigrationTests(DbProvider provider)
{
    [Test]
    public async Task Migration0004_GroupsExistingHistoryIntoChanges_KeepingEveryFieldInOrder()
    {
        using var database = new TestDatabase(provider);
        await using var services = InfrastructureServices.For(database);
        var postgres = provider == DbProvider.Postgres;
        var opened = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        var resolved = opened.AddHours(5);
        var ticketId = Guid.NewGuid();

        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            await db.Database.OpenConnectionAsync();
            var connection = db.Database.GetDbConnection();
            await ExecuteAsync(connection, "CREATE TABLE schema_migrations (version varchar(200) PRIMARY KEY, applied_at varchar(40) NOT NULL)");
            foreach (var (version, sql) in SchemaMigrator.Scripts(postgres).Where(s => string.CompareOrdinal(s.Version, "0004") < 0))
            {
                await ExecuteAsync(connection, sql);
                await ExecuteAsync(connection, $"INSERT INTO schema_migrations (version, applied_at) VALUES ('{version}', 'test')");
            }
            // As the app stores them: PostgreSQL natively; SQLite times as EF Core's binary ticks, ids as upper-case text.
            object Time(DateTimeOffset t) => postgres ? t : t.ToBinaryTicks();
            object Id(Guid id) => postgres ? id : id.ToString().ToUpperInvariant();
            await ExecuteAsync(connection,
                "INSERT INTO tickets (\"Id\", \"Kind\", \"Number\", \"ShortDescription\", \"State\", \"Impact\", \"Urgency\", \"Priority\", \"RequesterId\", " +
                "\"RequesterName\", \"ReassignmentCount\", \"ReopenCount\", \"OpenedAt\", \"UpdatedAt\", \"Version\") " +
                "VALUES (@id, 'Incident', 'INC0001001', 'Printer jam', 'resolved', 3, 3, 4, 'u1', 'Carl Caller', 0, 0, @opened, @resolved, 2)",
                ("id", Id(ticketId)), ("opened", Time(opened)), ("resolved", Time(resolved)));
            var rows = new (string Field, string? Old, string? New, string Actor, DateTimeOffset At)[]
            {
                ("number", null, "INC0001001", "Carl Caller", opened),
                ("state", null, "new", "Carl Caller", opened),
                ("shortDescription", null, "Printer jam", "Carl Caller", opened),
                ("state", "new", "resolved", "Ann Agent", resolved),
                ("resolutionCode", null, "solved-workaround", "Ann Agent", resolved),
            };
            foreach (var r in rows)
                await ExecuteAsync(connection,
                    "INSERT INTO ticket_history (\"Id\", \"TicketId\", \"Field\", \"OldValue\", \"NewValue\", \"ActorId\", \"ActorName\", \"At\") " +
                    "VALUES (@hid, @id, @field, @old, @new, @actorId, @actor, @at)",
                    ("hid", Id(Guid.NewGuid())), ("id", Id(ticketId)), ("field", r.Field), ("old", (object?)r.Old ?? DBNull.Value),
                    ("new", (object?)r.New ?? DBNull.Value), ("actorId", r.Actor == "Ann Agent" ? "u2" : "u1"), ("actor", r.Actor), ("at", Time(r.At)));
            await db.Database.CloseConnectionAsync();
        }

        using (var scope = services.CreateScope())
        {
            var applied = await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
            Assert.That(applied, Does.Contain("0004_ticket_changes"));
        }

        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            var changes = (await db.TicketChanges.AsNoTracking().Where(c => c.TicketId == ticketId).ToListAsync()).OrderBy(c => c.At).ToList();
            Assert.That(changes.Select(c => (c.ActorName, c.At)), Is.EqualTo(new[] { ("Carl Caller", opened), ("Ann Agent", resolved) }));
            Assert.That(changes[0].Fields.Select(f => (f.Field, f.OldValue, f.NewValue)), Is.EqualTo(new (string, string?, string?)[]
            {
                ("number", null, "INC0001001"), ("state", null, "new"), ("shortDescription", null, "Printer jam"),
            }));
            Assert.That(changes[1].Fields.Select(f => (f.Field, f.OldValue, f.NewValue)), Is.EqualTo(new (string, string?, string?)[]
            {
                ("state", "new", "resolved"), ("resolutionCode", null, "solved-workaround"),
            }));
        }
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

internal static class SqliteTimes
{
    private static readonly DateTimeOffsetToBinaryConverter Converter = new();

    /// <summary>A time as the app stores it on SQLite (EF Core's DateTimeOffset-to-binary conversion).</summary>
    public static long ToBinaryTicks(this DateTimeOffset time) => (long)Converter.ConvertToProvider(time)!;
}
