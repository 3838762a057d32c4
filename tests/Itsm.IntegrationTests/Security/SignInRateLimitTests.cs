using System.Net;
using System.Text.Json;
using Itsm.Domain.Identity;
using Itsm.Infrastructure.Identity;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Sign-ins (the login form and POST /api/v1/auth/token) are limited per client address and per user name, through
/// ASP.NET Core's rate limiter: 429 with Retry-After, problem details for the API, a friendly page for the form.
/// The host here has low limits (Auth:SignInRateLimit:*); every test uses its own client addresses and accounts.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class SignInRateLimitTests(DbProvider provider)
{
    private const int Limit = 3;
    private const string TokenPath = "/api/v1/auth/token";
    private ItsmApp _app = null!;
    private WebApplicationFactory<Program> _limited = null!;
    private int _nextAddress;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new ItsmApp(provider);
        _limited = _app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Auth:SignInRateLimit:PerAddress", Limit.ToString());
            b.UseSetting("Auth:SignInRateLimit:PerUserName", Limit.ToString());
            b.UseSetting("Auth:SignInRateLimit:WindowSeconds", "600");
        });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _limited.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task IssueToken_WhenOneAddressExceedsItsLimit_Returns429ProblemWithRetryAfter()
    {
        var (user, password) = await NewUserAsync();
        var attacker = Client(NewAddress());
        var answers = new List<Reply>();
        for (var i = 0; i < Limit; i++) answers.Add(await PostTokenAsync(attacker, "nobody-" + i, "Wrong-password-1"));

        var throttled = await PostTokenAsync(attacker, user, password);
        var otherAddress = await PostTokenAsync(Client(NewAddress()), user, password);

        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(401), "under the limit: the usual answer");
        Assert.That(throttled.Status, Is.EqualTo(429), throttled.ToString());
        Assert.That(throttled.IsProblem, Is.True, throttled.ToString());
        Assert.That(throttled.Json.GetProperty("status").GetInt32(), Is.EqualTo(429));
        Assert.That(throttled.Json.TryGetProperty("token", out _), Is.False, "not even the right password gets a token");
        AssertRetryAfter(throttled.Response);
        Assert.That(otherAddress.Status, Is.EqualTo(200), "the limit is per client address");
    }

    [Test]
    public async Task IssueToken_WhenOneUserNameExceedsItsLimit_Returns429ForThatNameFromAnyAddress()
    {
        var (user, password) = await NewUserAsync();
        var (other, otherPassword) = await NewUserAsync();
        var answers = new List<Reply>();
        // Each attempt from another address: only the per-user-name limit can stop them.
        for (var i = 0; i < Limit; i++) answers.Add(await PostTokenAsync(Client(NewAddress()), user, i == 0 ? password : "Wrong-password-1"));

        var throttled = await PostTokenAsync(Client(NewAddress()), user, password);
        var otherUser = await PostTokenAsync(Client(NewAddress()), other, otherPassword);

        Assert.That(answers.Select(a => a.Status), Is.EqualTo(new[] { 200, 401, 401 }));
        Assert.That(throttled.Status, Is.EqualTo(429), throttled.ToString());
        Assert.That(throttled.IsProblem, Is.True, throttled.ToString());
        AssertRetryAfter(throttled.Response);
        Assert.That(otherUser.Status, Is.EqualTo(200), "the limit is per user name");
    }

    [Test]
    public async Task Login_WhenOneAddressExceedsItsLimit_Returns429FriendlyPageWithRetryAfter()
    {
        var (user, password) = await NewUserAsync();
        var (browser, antiforgery) = await SignInSecurityTests.OpenFormAsync(Client(NewAddress()));
        var answers = new List<int>();
        for (var i = 0; i < Limit; i++)
            answers.Add((await SignInSecurityTests.PostFormAsync(browser, antiforgery, "nobody-" + Guid.NewGuid().ToString("N")[..8], "Wrong-password-1")).Status);

        var throttled = await SignInSecurityTests.PostFormAsync(browser, antiforgery, user, password);
        var html = await throttled.Response.Content.ReadAsStringAsync();

        Assert.That(answers, Is.All.EqualTo(200), "under the limit: the form again, with its error");
        Assert.That(throttled.Status, Is.EqualTo(429), html);
        Assert.That(throttled.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("Too many"), "a friendly page");
        Assert.That(throttled.Cookies, Has.None.StartWith("itsm.auth="), "not signed in");
        AssertRetryAfter(throttled.Response);
        var form = await browser.GetAsync("/Account/Login");
        Assert.That((int)form.StatusCode, Is.EqualTo(200), "showing the form is not limited");
    }

    [Test]
    public async Task Login_WhenOneUserNameExceedsItsLimit_Returns429WithMessage()
    {
        var (user, password) = await NewUserAsync();
        var answers = new List<int>();
        for (var i = 0; i < Limit; i++)
        {
            var (form, token) = await SignInSecurityTests.OpenFormAsync(Client(NewAddress()));
            answers.Add((await SignInSecurityTests.PostFormAsync(form, token, user, "Wrong-password-1")).Status);
        }
        var (browser, antiforgery) = await SignInSecurityTests.OpenFormAsync(Client(NewAddress()));

        var throttled = await SignInSecurityTests.PostFormAsync(browser, antiforgery, user, password);

        Assert.That(answers, Is.All.EqualTo(200));
        Assert.That(throttled.Status, Is.EqualTo(429));
        Assert.That(throttled.Error, Does.Contain("Too many sign-in attempts"));
        Assert.That(throttled.Cookies, Has.None.StartWith("itsm.auth="), "not signed in");
        AssertRetryAfter(throttled.Response);
    }

    // ---- helpers ----

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.That(response.Headers.RetryAfter?.Delta, Is.Not.Null, "a Retry-After header in seconds");
        Assert.That(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, Is.InRange(1, 600));
    }

    private string NewAddress()
    {
        var n = Interlocked.Increment(ref _nextAddress);
        return $"10.0.{n / 250}.{n % 250 + 1}";
    }

    /// <summary>A client of the limited host whose requests come from <paramref name="address"/>, with cookies.</summary>
    private HttpClient Client(string address)
    {
        var server = _limited.Server;
        var handler = server.CreateHandler(http => http.Connection.RemoteIpAddress = IPAddress.Parse(address));
        return new HttpClient(new CookieContainerHandler { InnerHandler = handler }) { BaseAddress = new Uri("http://localhost") };
    }

    private static Task<Reply> PostTokenAsync(HttpClient client, string userName, string password) =>
        client.SendAsync(HttpMethod.Post, TokenPath, JsonSerializer.Serialize(new { userName, password }));

    private async Task<(string User, string Password)> NewUserAsync()
    {
        var name = "limit-" + Guid.NewGuid().ToString("N")[..10];
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..16];
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ItsmUser>>();
        var user = new ItsmUser { UserName = name, DisplayName = "Limit " + name };
        Assert.That((await users.CreateAsync(user, password)).Succeeded, Is.True);
        Assert.That((await users.AddToRoleAsync(user, Roles.Requester)).Succeeded, Is.True);
        return (name, password);
    }
}
