using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;

namespace Itsm.Web.Infrastructure;

/// <summary>Before serving: check the process definitions, then the database's start-up (<see cref="DatabaseStartup"/>).</summary>
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
        await sp.GetRequiredService<DatabaseStartup>().RunAsync(app.Environment.ContentRootPath, CancellationToken.None);
    }
}
