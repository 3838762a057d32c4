using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Cmdb;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Jobs;
using Itsm.Infrastructure.Persistence;
using Itsm.Infrastructure.Processes;
using Itsm.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace Itsm.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddItsmInfrastructure(this IServiceCollection services, IConfiguration config, string contentRoot)
    {
        var provider = config["Database:Provider"] ?? "Sqlite";
        var connection = config.GetConnectionString("Itsm") ?? "Data Source=data/itsm.db";
        var sqlitePragmas = new SqlitePragmas(config["Database:SqliteSynchronous"] ?? "FULL");
        services.AddSingleton(sqlitePragmas);
        services.AddSingleton<SecurityChangeLog>();
        services.AddDbContextPool<ItsmDbContext>((sp, options) =>
        {
            options.AddInterceptors(sp.GetRequiredService<SecurityChangeLog>());
            // A list of ids in a query is one array parameter (json_each on SQLite, = ANY on PostgreSQL), not EF 10's
            // default of one parameter per id: the graph hands over hundreds or thousands of CI ids at a time, and a
            // statement with a thousand parameters is parsed and planned anew on every call (ADR 0014).
            if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
                options.UseNpgsql(connection, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
                options.UseSqlite(connection, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter)).AddInterceptors(sqlitePragmas);
            else
                throw new InvalidOperationException($"Database:Provider must be Sqlite or Postgres, not '{provider}'.");
        });
        services.AddScoped<IItsmDbContext>(sp => sp.GetRequiredService<ItsmDbContext>());
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddSingleton<SqliteGroupCommit>();
        var referenceDataMaxAge = TimeSpan.FromSeconds(config.GetValue("ReferenceData:CacheSeconds", 30));
        services.AddSingleton<IReferenceData>(sp => new ReferenceDataCache(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IClock>(), referenceDataMaxAge));
        services.AddScoped<ITicketNumberGenerator, TicketNumberGenerator>();
        services.AddScoped<ITextSearch, TextSearch>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<SchemaMigrator>();
        services.AddScoped<ApiTokenStore>();
        services.AddScoped<ICalendarFeedLinks, CalendarFeedLinks>();
        services.AddScoped<DatabaseStartup>();
        services.AddScoped<TicketStateReconciler>();
        services.AddScoped<ReferenceDataSeeder>();
        services.AddScoped<DemoDataSeeder>();
        services.AddSingleton<IClock, SystemClock>();

        var processDir = Locate(config["Processes:Directory"], "itil-processes", contentRoot);
        services.AddSingleton<IProcessCatalog>(_ => new FileProcessCatalog(processDir));

        // The CMDB: its vocabulary from reference data, its graph in memory, following every instance's changesets.
        var referenceDir = Path.Combine(Locate(config["Seed:Directory"], "seed-data", contentRoot), "reference");
        var (cmdbModel, sourcePrecedence) = CmdbModelReader.Read(referenceDir);
        services.AddSingleton(cmdbModel);
        services.AddSingleton(sourcePrecedence);
        services.AddSingleton<CmdbGraphStore>();
        services.AddSingleton<ICmdbGraph>(sp => sp.GetRequiredService<CmdbGraphStore>());
        services.AddScoped<ICmdbBulkWriter, CmdbBulkWriter>();

        // Change management: risk rules and approval policy as data beside the processes; windows and templates as
        // reference data. Read when first needed: start-up asks for them when a process governs changes (StartupTasks).
        services.AddSingleton(_ => ChangeRiskModelReader.Load(Path.Combine(processDir, ProcessDefinitionLoader.ChangeRiskFile)));
        services.AddSingleton(_ => ChangeApprovalPolicyReader.Load(Path.Combine(processDir, ProcessDefinitionLoader.ChangeApprovalsFile)));
        services.AddSingleton(_ => ChangeWindowsReader.Load(Path.Combine(referenceDir, ChangeWindowsReader.FileName)));
        services.AddSingleton(_ => StandardChangeCatalogReader.Load(referenceDir, cmdbModel));
        services.AddSingleton(new Application.Features.Changes.ChangeSettings(
            config.GetValue("Changes:ConflictHops", 1), config.GetValue("Changes:HistoryDays", 90)));
        var follow = TimeSpan.FromMilliseconds(config.GetValue("Cmdb:FollowMilliseconds", 250));
        services.AddHostedService(sp => new CmdbGraphFollower(sp.GetRequiredService<CmdbGraphStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CmdbGraphFollower>>(), follow));

        services.AddIdentityCore<ItsmUser>(o =>
            {
                o.Password.RequiredLength = 10;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<ItsmDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        var autoCloseMinutes = config.GetValue("Jobs:AutoCloseIntervalMinutes", 15);
        services.AddQuartz(q =>
        {
            q.AddJob<TimerTransitionsJob>(j => j.WithIdentity(TimerTransitionsJob.Key));
            q.AddTrigger(t => t.ForJob(TimerTransitionsJob.Key).StartAt(DateTimeOffset.UtcNow.AddMinutes(1))
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(autoCloseMinutes)).RepeatForever()));
        });
        if (config.GetValue("Jobs:Enabled", true))
            services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton(new Application.Features.Incidents.CorrelationSettings(config.GetValue("Cmdb:CorrelationHops", 3)));
        if (config.GetValue("Jobs:Enabled", true))
            services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ImpactedServicesRefreshJob>(sp, TimeSpan.FromSeconds(config.GetValue("Cmdb:ImpactRefreshSeconds", 30))));
        return services;
    }

    /// <summary>Finds a project folder (itil-processes, seed-data): configured, or walking up from the content root.</summary>
    public static string Locate(string? configured, string folder, string start)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, folder);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"Could not find the '{folder}' folder above {start}; set its path in configuration.");
    }
}
