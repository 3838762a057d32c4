using Itsm.Domain.Common;
using Itsm.Infrastructure.Processes;
using Itsm.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// The database's part of start-up, before serving: the SQLite file's folder and WAL mode, the schema migrations,
/// tickets moved out of renamed states (or start-up stops), reference data, and demo data when asked for.
/// </summary>
public sealed class DatabaseStartup(
    ItsmDbContext db, SchemaMigrator migrator, TicketStateReconciler states, ReferenceDataSeeder reference, DemoDataSeeder demo,
    IConfiguration config, IClock clock, ILogger<DatabaseStartup> log)
{
    public async Task RunAsync(string contentRoot, CancellationToken ct)
    {
        if (db.Database.GetConnectionString() is { } cs && cs.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
        }
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct); // persistent: once per file is enough
        await migrator.MigrateAsync(ct);
        // Tickets in a state the definitions no longer have: moved by state-renames, or start-up stops here.
        var moved = await states.ReconcileAsync(ct);
        if (moved > 0) log.LogInformation("Moved {Count} tickets out of renamed states", moved);

        var seedDir = DependencyInjection.Locate(config["Seed:Directory"], "seed-data", contentRoot);
        await reference.ApplyAsync(seedDir, ct);
        if (config.GetValue("Seed:Demo", false))
        {
            var password = config["Seed:DemoPassword"] ?? "Itsm-demo-1";
            if (await demo.ApplyAsync(seedDir, password, clock.UtcNow, ct)) log.LogInformation("Loaded the demo data");
        }
    }
}
