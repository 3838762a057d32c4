using System.Net;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Benchmarks;

/// <summary>
/// The real app (src/Itsm.Web's Program) on a real Kestrel listening on 127.0.0.1 and a free port, configured as
/// in production except: the benchmark's database, demo accounts (Seed:Demo), no background jobs, and logging at
/// Warning so that per-request log lines do not dominate. The environment is Production (Development would turn
/// on DI scope validation, which costs on every request).
/// </summary>
public sealed class BenchApp : WebApplicationFactory<global::Program>
{
    public const string FloorPath = KestrelFloor.Path;
    public const string Password = "Itsm-demo-1";

    private readonly BenchDatabase _database;
    private readonly string _sqliteSynchronous;
    private readonly string _logDirectory;
    private readonly IReadOnlyDictionary<string, string> _extraSettings;

    public BenchApp(BenchDatabase database, Options options)
    {
        _database = database;
        _sqliteSynchronous = options.SqliteSynchronous;
        _extraSettings = options.AppSettings;
        _logDirectory = Path.Combine(Path.GetTempPath(), "itsm-bench", "logs");
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
    }

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts the host (migrations, reference data and demo accounts run here) and returns its address.</summary>
    public Uri Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
                        ?? throw new InvalidOperationException("Kestrel reported no address.");
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return BaseAddress;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // `dotnet run` starts in the repository root, where the factory's manifest lookup (relative to the current
        // directory) finds nothing: point the content root at the web project ourselves.
        builder.UseContentRoot(Path.Combine(RepoPaths.Root, "src", "Itsm.Web"));
        // UseSetting: Program reads these before Build(), when only host settings are in.
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Database:Provider"] = _database.Provider.ToString(),
            ["Database:SqliteSynchronous"] = _sqliteSynchronous,
            ["ConnectionStrings:Itsm"] = _database.ConnectionString,
            ["Seed:Demo"] = "true",
            ["Jobs:Enabled"] = "false",
            ["Logging:Directory"] = _logDirectory,
            ["Serilog:MinimumLevel"] = "Warning",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            // The benchmark signs in far more often than a person would: no sign-in rate limits.
            ["Auth:SignInRateLimit:PerAddress"] = "1000000",
            ["Auth:SignInRateLimit:PerUserName"] = "1000000",
        }) builder.UseSetting(key, value);
        foreach (var (key, value) in _extraSettings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, KestrelFloor>());
    }

    /// <summary>
    /// GET /bench/noop answered by the very first middleware, before the app's own pipeline: what Kestrel and the
    /// client cost on their own, to read the /health baseline against. Only in the benchmark's host.
    /// </summary>
    private sealed class KestrelFloor : IStartupFilter
    {
        public const string Path = "/bench/noop";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (!http.Request.Path.Equals(Path, StringComparison.Ordinal)) return nextMiddleware(http);
                http.Response.StatusCode = 200;
                http.Response.ContentLength = 0;
                return Task.CompletedTask;
            });
            next(app);
        };
    }

    /// <summary>A scope with the app's own DbContext, for reading the model and the reference data.</summary>
    public (IServiceScope Scope, ItsmDbContext Db) OpenDb()
    {
        var scope = Services.CreateScope();
        return (scope, scope.ServiceProvider.GetRequiredService<ItsmDbContext>());
    }
}

/// <summary>Where the repository is: the folder holding Itsm.sln, found from the binary's folder upwards.</summary>
public static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Itsm.sln not found above {AppContext.BaseDirectory}.");
    }
}
