using Itsm.Application.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;

namespace Itsm.Web.Infrastructure;

/// <summary>Before serving: check the process definitions (and change management's policy files), then the database's start-up (<see cref="DatabaseStartup"/>), then the demo changes when demo data is asked for.</summary>
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
        // Change management's policy files stop the app the same way, when a process governs changes.
        if (processes.All.Any(p => p.Kind == TicketKind.Change))
        {
            sp.GetRequiredService<RiskModel>();
            sp.GetRequiredService<ApprovalPolicy>();
            sp.GetRequiredService<ChangeWindows>();
            sp.GetRequiredService<StandardChangeCatalog>();
        }
        await sp.GetRequiredService<DatabaseStartup>().RunAsync(app.Environment.ContentRootPath, CancellationToken.None);
        // Demo changes go through the app's own requests as signed-in people, so they are made here, once the app is built.
        var config = sp.GetRequiredService<IConfiguration>();
        if (config.GetValue("Seed:Demo", false) && config.GetValue("Seed:DemoChanges", true) && processes.All.Any(p => p.Kind == TicketKind.Change))
        {
            var seedDir = Itsm.Infrastructure.DependencyInjection.Locate(config["Seed:Directory"], "seed-data", app.Environment.ContentRootPath);
            await ActivatorUtilities.CreateInstance<DemoChangeSeeder>(app.Services)
                .ApplyAsync(seedDir, sp.GetRequiredService<IClock>().UtcNow, CancellationToken.None);
        }
    }
}
