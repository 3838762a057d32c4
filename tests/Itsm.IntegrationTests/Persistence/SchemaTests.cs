using System.Data.Common;
using System.Text;
using Itsm.Infrastructure;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>
/// The hand-written SQL migrations (docs/decisions/0002) must build exactly the schema the EF Core model describes:
/// an empty database migrated by <see cref="SchemaMigrator"/> is compared, table by table, column by column, index by
/// index and constraint by constraint, with one made by <c>EnsureCreated</c> from the same DbContext options.
/// Column order is not compared (it has no effect on the app); everything else is.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class SchemaTests(DbProvider provider)
{
    private const string MigrationsTable = "schema_migrations";

    private TestDatabase _migratedDb = null!, _modelDb = null!;
    private ServiceProvider _migratedServices = null!, _modelServices = null!;
    private IReadOnlyList<string> _firstRun = [];

    [OneTimeSetUp]
    public async Task CreateBothDatabases()
    {
        _migratedDb = new TestDatabase(provider);
        _modelDb = new TestDatabase(provider);
        _migratedServices = Services(_migratedDb);
        _modelServices = Services(_modelDb);
        _firstRun = await MigrateAsync(_migratedServices);
        using var scope = _modelServices.CreateScope();
        var created = scope.ServiceProvider.GetRequiredService<ItsmDbContext>().Database.EnsureCreated();
        Assert.That(created, Is.True, "EnsureCreated made the schema in the empty database");
    }

    [OneTimeTearDown]
    public async Task DropBothDatabases()
    {
        await _migratedServices.DisposeAsync();
        await _modelServices.DisposeAsync();
        _migratedDb.Dispose();
        _modelDb.Dispose();
    }

    [Test]
    public async Task MigrateAsync_WhenAppliedToEmptyDatabase_BuildsTheSchemaOfTheEfModel()
    {
        var migrated = await SnapshotAsync(_migratedServices);
        var model = await SnapshotAsync(_modelServices);

        Assert.That(model, Has.Some.StartsWith("column tickets.Number "), "the introspection reads columns");
        Assert.That(model, Has.Some.StartsWith("index tickets.IX_tickets_Number "), "the introspection reads indexes");
        Assert.That(model, Has.Some.StartsWith("fk worklog"), "the introspection reads foreign keys");
        var onlyMigrated = migrated.Except(model).ToList();
        var onlyModel = model.Except(migrated).ToList();
        Assert.That(onlyMigrated.Concat(onlyModel), Is.Empty, Diff(onlyMigrated, onlyModel));
    }

    [Test]
    public async Task MigrateAsync_WhenRunTwice_AppliesEveryScriptOnceAndNothingTheSecondTime()
    {
        var scripts = SchemaMigrator.Scripts(provider == DbProvider.Postgres).Select(s => s.Version).ToList();
        var before = await SnapshotAsync(_migratedServices);

        var secondRun = await MigrateAsync(_migratedServices);

        Assert.That(scripts, Is.Not.Empty);
        Assert.That(_firstRun, Is.EqualTo(scripts), "the first run applies every script, in order");
        Assert.That(secondRun, Is.Empty);
        Assert.That(await AppliedVersionsAsync(_migratedServices), Is.EquivalentTo(scripts), "each recorded once");
        Assert.That(await SnapshotAsync(_migratedServices), Is.EqualTo(before));
    }

    private static ServiceProvider Services(TestDatabase database) => InfrastructureServices.For(database);

    private static async Task<IReadOnlyList<string>> MigrateAsync(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync();
    }

    private static async Task<List<string>> AppliedVersionsAsync(ServiceProvider services) =>
        (await QueryAsync(services, $"SELECT version FROM {MigrationsTable}")).Select(r => r[0]).ToList();

    private async Task<List<string>> SnapshotAsync(ServiceProvider services) =>
        provider == DbProvider.Sqlite ? await SqliteSnapshotAsync(services) : await PostgresSnapshotAsync(services);

    private static async Task<List<string>> SqliteSnapshotAsync(ServiceProvider services)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(services,
            $"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '{MigrationsTable}'");
        foreach (var t in tables)
        {
            var table = t[0];
            lines.Add($"table {table}{(t[1].Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase) ? " autoincrement" : "")}");
            foreach (var c in await QueryAsync(services, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')"))
                lines.Add($"column {table}.{c[0]} {c[1]} notnull={c[2]} default={c[3]} pk={c[4]}");
            foreach (var i in await QueryAsync(services, $"SELECT name, \"unique\", origin, partial FROM pragma_index_list('{table}')"))
            {
                var columns = await QueryAsync(services,
                    $"SELECT name, \"desc\", coll FROM pragma_index_xinfo('{i[0]}') WHERE key = 1 ORDER BY seqno");
                lines.Add($"index {table}.{i[0]} unique={i[1]} origin={i[2]} partial={i[3]} ({string.Join(", ", columns.Select(c => $"{c[0]} desc={c[1]} {c[2]}"))})");
            }
            var keys = await QueryAsync(services,
                $"SELECT id, \"from\", \"table\", \"to\", on_update, on_delete, \"match\" FROM pragma_foreign_key_list('{table}') ORDER BY id, seq");
            foreach (var fk in keys.GroupBy(k => k[0]))
            {
                var first = fk.First();
                lines.Add($"fk {table}({string.Join(", ", fk.Select(k => k[1]))}) -> {first[2]}({string.Join(", ", fk.Select(k => k[3]))}) " +
                          $"on update {first[4]} on delete {first[5]} match {first[6]}");
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> PostgresSnapshotAsync(ServiceProvider services)
    {
        var lines = new List<string>();
        foreach (var t in await QueryAsync(services,
                     $"SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '{MigrationsTable}'"))
            lines.Add($"table {t[0]} {t[1]}");
        foreach (var c in await QueryAsync(services,
                     "SELECT table_name, column_name, data_type, is_nullable, character_maximum_length, numeric_precision, " +
                     "column_default, is_identity, identity_generation FROM information_schema.columns " +
                     $"WHERE table_schema = 'public' AND table_name <> '{MigrationsTable}'"))
            lines.Add($"column {c[0]}.{c[1]} {c[2]} nullable={c[3]} length={c[4]} precision={c[5]} default={c[6]} identity={c[7]} {c[8]}");
        foreach (var i in await QueryAsync(services,
                     $"SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '{MigrationsTable}'"))
            lines.Add($"index {i[0]}.{i[1]} {i[2]}");
        foreach (var k in await QueryAsync(services,
                     "SELECT cl.relname, con.conname, con.contype, pg_get_constraintdef(con.oid) FROM pg_constraint con " +
                     "JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = con.connamespace " +
                     $"WHERE ns.nspname = 'public' AND cl.relname <> '{MigrationsTable}'"))
            lines.Add($"{(k[2] == "f" ? "fk" : "constraint")} {k[0]}.{k[1]} {k[2]} {k[3]}");
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Runs a query on the database behind the services; every value as text ("" for null).</summary>
    private static async Task<List<string[]>> QueryAsync(ServiceProvider services, string sql)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using DbDataReader reader = await command.ExecuteReaderAsync();
            var rows = new List<string[]>();
            while (await reader.ReadAsync())
                rows.Add(Enumerable.Range(0, reader.FieldCount)
                    .Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "")
                    .ToArray());
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private string Diff(IReadOnlyList<string> onlyMigrated, IReadOnlyList<string> onlyModel)
    {
        var text = new StringBuilder();
        text.AppendLine($"On {provider}, the migrations (Persistence/Migrations/{provider}) and the EF Core model disagree.");
        text.AppendLine("Only in the migrated database (a migration adds it, or the model lost it):");
        foreach (var line in onlyMigrated) text.AppendLine("  - " + line);
        if (onlyMigrated.Count == 0) text.AppendLine("  (nothing)");
        text.AppendLine("Only in the database made from the model (write a migration for it; tools/Itsm.SchemaTool prints the DDL):");
        foreach (var line in onlyModel) text.AppendLine("  + " + line);
        if (onlyModel.Count == 0) text.AppendLine("  (nothing)");
        return text.ToString();
    }
}
