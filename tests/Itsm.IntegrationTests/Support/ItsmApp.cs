using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.Domain.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Itsm.IntegrationTests.Support;

/// <summary>
/// The real app over HTTP on a real database (SQLite or PostgreSQL), with the demo data (one account per role)
/// and a fake clock. One per fixture; tests make their own incidents so they do not depend on each other.
/// </summary>
public sealed class ItsmApp : WebApplicationFactory<Program>
{
    public const string Password = "Itsm-demo-1";
    public static readonly string[] DemoUsers = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin"];

    // Each user's bearer token and when (on the fake clock) it was issued: tests that move the clock on by weeks get a
    // fresh one before the old one would expire.
    private readonly Dictionary<string, (string Token, DateTimeOffset IssuedAt)> _tokens = [];
    private readonly bool _ownsDatabase = true;
    public TestDatabase Database { get; }
    public FakeClock Clock { get; }

    private readonly IReadOnlyDictionary<string, string?> _settings = new Dictionary<string, string?>();
    private readonly Action<IServiceCollection>? _services;

    /// <param name="settings">App settings over the test defaults (e.g. <c>Seed:DemoChanges</c>).</param>
    /// <param name="now">Where the fake clock starts (default: now), for what depends on the day the app starts.</param>
    /// <param name="services">Replaces services after the app's own (e.g. reference data such as the change windows).</param>
    public ItsmApp(DbProvider provider, IReadOnlyDictionary<string, string?>? settings = null, DateTimeOffset? now = null,
        Action<IServiceCollection>? services = null)
    {
        Database = new TestDatabase(provider);
        _settings = settings ?? _settings;
        Clock = new FakeClock(now ?? DateTimeOffset.UtcNow);
        _services = services;
    }

    /// <summary>
    /// A second instance on <paramref name="primary"/>'s database and clock, as several servers behind one load balancer;
    /// start the primary first (it sets the database up), dispose this one first (the primary drops the database).
    /// </summary>
    public ItsmApp(ItsmApp primary)
    {
        Database = primary.Database;
        Clock = primary.Clock;
        _ownsDatabase = false;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // UseSetting, not ConfigureAppConfiguration: Program reads these before Build(), when only host settings are in.
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider.ToString(),
            ["ConnectionStrings:Itsm"] = Database.ConnectionString,
            ["Seed:Demo"] = "true",
            // Tests raise the changes they need; the demo changes get a test of their own (DemoChangesTests).
            ["Seed:DemoChanges"] = "false",
            ["Jobs:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(Path.GetTempPath(), "itsm-tests", "logs"),
            ["Serilog:MinimumLevel"] = "Warning",
            // Tests sign in far more often than a person: the sign-in rate limits get their own tests (RateLimitTests).
            ["Auth:SignInRateLimit:PerAddress"] = "1000000",
            ["Auth:SignInRateLimit:PerUserName"] = "1000000",
        }) builder.UseSetting(key, value);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IClock>();
            services.AddSingleton<IClock>(Clock);
            _services?.Invoke(services);
        });
    }

    /// <summary>An API client signed in as a demo user through POST /api/v1/auth/token.</summary>
    public HttpClient Api(string? user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (user is null) return client;
        if (!_tokens.TryGetValue(user, out var issued) || Clock.UtcNow - issued.IssuedAt > TimeSpan.FromDays(7))
        {
            var response = client.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password = Password }).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            var token = response.Content.ReadFromJsonAsync<JsonElement>().GetAwaiter().GetResult().GetProperty("token").GetString()!;
            _tokens[user] = issued = (token, Clock.UtcNow);
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", issued.Token);
        return client;
    }

    /// <summary>Runs <paramref name="action"/> with the app's own DbContext, in a scope of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<ItsmDbContext, Task<T>> action)
    {
        using var scope = Services.CreateScope();
        return await action(scope.ServiceProvider.GetRequiredService<ItsmDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDatabase) Database.Dispose();
    }
}
