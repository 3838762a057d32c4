using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Infrastructure;
using Itsm.Infrastructure.Persistence;
using Itsm.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Web.Infrastructure;

/// <summary>Before serving: check the process definitions, migrate the schema, move tickets out of renamed states, apply reference data, load demo data if asked.</summary>
public static class StartupTasks
{
    public static async Task RunAsync(WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var sp = scope.ServiceProvider;
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Itsm.Startup");
        // Loading the catalog validates every definition; an invalid one stops the app here with file:line errors.
        var processes = sp.GetRequiredService<IProcessCatalog>();
        log.LogInformation("Loaded {Count} process definitions", processes.All.Count);

        var config = app.Configuration;
        var db = sp.GetRequiredService<ItsmDbContext>();
        if (db.Database.GetConnectionString() is { } cs && cs.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(cs).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } dir) Directory.CreateDirectory(dir);
        }
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;"); // persistent: once per file is enough
        await sp.GetRequiredService<SchemaMigrator>().MigrateAsync();
        // Tickets in a state the definitions no longer have: moved by state-renames, or start-up stops here.
        var moved = await sp.GetRequiredService<Itsm.Infrastructure.Processes.TicketStateReconciler>().ReconcileAsync(CancellationToken.None);
        if (moved > 0) log.LogInformation("Moved {Count} tickets out of renamed states", moved);

        var seedDir = DependencyInjection.Locate(config["Seed:Directory"], "seed-data", app.Environment.ContentRootPath);
        await sp.GetRequiredService<ReferenceDataSeeder>().ApplyAsync(seedDir, CancellationToken.None);
        if (config.GetValue("Seed:Demo", false))
        {
            var password = config["Seed:DemoPassword"] ?? "Itsm-demo-1";
            var loaded = await sp.GetRequiredService<DemoDataSeeder>().ApplyAsync(seedDir, password, sp.GetRequiredService<IClock>().UtcNow, CancellationToken.None);
            if (loaded) log.LogInformation("Loaded the demo data");
        }
    }
}
