using System.Net;
using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Benchmarks;

/// <summary>
/// The real app (src/Itsm.Web's Program) on a real Kestrel listening on 127.0.0.1 and a free port, run as shipped
/// (Production environment, the default log levels: a log line per request to the console and the JSON file) except:
/// the benchmark's database, demo accounts (Seed:Demo) and no background jobs. Two floors are added in front of the
/// app's pipeline, only in this host (<see cref="Floors"/>).
/// </summary>
public sealed class BenchApp : WebApplicationFactory<global::Program>
{
    public const string FloorPath = Floors.NoopPath;
    public const string DurableInsertPath = Floors.DurableInsertPath;
    public const string Password = "Itsm-demo-1";

    private readonly BenchDatabase _database;
    private readonly string _sqliteSynchronous;
    private readonly string _logDirectory;
    private readonly IReadOnlyDictionary<string, string> _extraSettings;

    private readonly string _connectionString;

    /// <param name="instance">Names one of several instances on the same database: its own connection pool (the
    /// pool is per connection string, so the application name tells them apart) and its own log folder.</param>
    public BenchApp(BenchDatabase database, Options options, string instance = "a")
    {
        _database = database;
        _sqliteSynchronous = options.SqliteSynchronous;
        _extraSettings = options.AppSettings;
        _logDirectory = Path.Combine(Path.GetTempPath(), "itsm-bench", "logs", instance);
        _connectionString = database.Provider == DbProvider.Postgres
            ? new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "itsm-bench-" + instance }.ConnectionString
            : database.ConnectionString;
        Terminal.CaptureAppConsole();
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
        var (scope, db) = OpenDb();
        using (scope) db.Database.ExecuteSqlRaw(Floors.CreateTable);
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
            ["ConnectionStrings:Itsm"] = _connectionString,
            ["Seed:Demo"] = "true",
            // The scenarios generate the changes they measure; the demo's few would only sit among them.
            ["Seed:DemoChanges"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Logging:Directory"] = _logDirectory,
            // The benchmark signs in far more often than a person would: no sign-in rate limits.
            ["Auth:SignInRateLimit:PerAddress"] = "1000000",
            ["Auth:SignInRateLimit:PerUserName"] = "1000000",
        }) builder.UseSetting(key, value);
        foreach (var (key, value) in _extraSettings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, Floors>());
    }

    /// <summary>
    /// Two floors answered by the very first middleware, before the app's own pipeline, to read the app's figures
    /// against; they exist only in the benchmark's host, never in the product.
    /// - GET /bench/noop: Kestrel and the client on their own.
    /// - POST /bench/durable-insert: one INSERT of a small row committed through the app's own IUnitOfWork, i.e. on
    ///   SQLite through the group-commit writer (one fsync per batch, answered once its batch is on disk), on
    ///   PostgreSQL in a transaction of its own. The least a durable create can cost here.
    /// </summary>
    private sealed class Floors : IStartupFilter
    {
        public const string NoopPath = "/bench/noop";
        public const string DurableInsertPath = "/bench/durable-insert";
        public const string CreateTable = "CREATE TABLE IF NOT EXISTS bench_floor (id varchar(36) PRIMARY KEY, at varchar(40) NOT NULL, note varchar(200) NOT NULL)";
        private const string Insert = "INSERT INTO bench_floor (id, at, note) VALUES (@id, @at, @note)";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Path.Equals(NoopPath, StringComparison.Ordinal))
                {
                    http.Response.StatusCode = 200;
                    http.Response.ContentLength = 0;
                    return Task.CompletedTask;
                }
                if (http.Request.Path.Equals(DurableInsertPath, StringComparison.Ordinal) && HttpMethods.IsPost(http.Request.Method))
                    return DurableInsertAsync(http);
                return nextMiddleware(http);
            });
            next(app);
        };

        private static async Task DurableInsertAsync(HttpContext http)
        {
            var unitOfWork = http.RequestServices.GetRequiredService<IUnitOfWork>();
            var db = http.RequestServices.GetRequiredService<ItsmDbContext>();
            await unitOfWork.RunAsync(async ct =>
            {
                // Plain ADO.NET on the unit's connection and transaction, as the app's number generator does.
                await using var cmd = db.Database.GetDbConnection().CreateCommand();
                cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
                cmd.CommandText = Insert;
                foreach (var (name, value) in new[]
                         {
                             ("@id", Guid.CreateVersion7().ToString()), ("@at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
                             ("@note", "Durable-write floor: one small row, committed as a create would be."),
                         })
                {
                    var p = cmd.CreateParameter();
                    p.ParameterName = name;
                    p.Value = value;
                    cmd.Parameters.Add(p);
                }
                return await cmd.ExecuteNonQueryAsync(ct);
            }, http.RequestAborted);
            http.Response.StatusCode = 201;
            http.Response.ContentLength = 0;
        }
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
