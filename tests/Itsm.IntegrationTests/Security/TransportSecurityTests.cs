using System.Net;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Over HTTPS the authentication and anti-forgery cookies are Secure and, outside Development, responses carry
/// Strict-Transport-Security; over plain HTTP (make run) cookies still work and no HSTS header is sent.
/// A host name other than localhost: the HSTS middleware never pins localhost.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
public sealed class TransportSecurityTests(DbProvider provider)
{
    private const string Https = "https://itsm.example.com";
    private const string Http = "http://itsm.example.com";
    private ItsmApp _app = null!;
    private WebApplicationFactory<Program> _production = null!;
    private WebApplicationFactory<Program> _development = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new ItsmApp(provider);
        _production = _app.WithWebHostBuilder(b => b.UseEnvironment("Production"));
        _development = _app.WithWebHostBuilder(b => b.UseEnvironment("Development"));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _development.Dispose();
        _production.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task Get_WhenServedOverHttpsInProduction_SendsStrictTransportSecurity()
    {
        var response = await Client(_production, Https).GetAsync("/Account/Login");

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), Is.True, "HSTS over HTTPS in Production");
        Assert.That(hsts!.Single(), Does.Match(@"max-age=\d{7,}"), "pinned for months, not minutes");
    }

    [Test]
    public async Task Get_WhenServedOverHttpOrInDevelopment_SendsNoStrictTransportSecurity()
    {
        var overHttp = await Client(_production, Http).GetAsync("/Account/Login");
        var inDevelopment = await Client(_development, Https).GetAsync("/Account/Login");

        Assert.That(new[] { (int)overHttp.StatusCode, (int)inDevelopment.StatusCode }, Is.All.EqualTo(200));
        Assert.That(overHttp.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS means nothing over plain HTTP");
        Assert.That(inDevelopment.Headers.Contains("Strict-Transport-Security"), Is.False, "no HSTS in Development");
    }

    [Test]
    public async Task SignIn_WhenServedOverHttps_SetsSecureCookies()
    {
        var cookies = await SignInCookiesAsync(_production, Https);

        Assert.That(cookies.Keys, Is.SupersetOf(new[] { "itsm.af", "itsm.auth" }));
        foreach (var (name, header) in cookies.Where(c => c.Key is "itsm.af" or "itsm.auth"))
        {
            Assert.That(header, Does.Contain("; secure").IgnoreCase, $"{name} is Secure over HTTPS: {header}");
            Assert.That(header, Does.Contain("; httponly").IgnoreCase, $"{name} is HttpOnly: {header}");
        }
    }

    [Test]
    public async Task SignIn_WhenServedOverHttp_SetsCookiesWithoutSecureSoPlainHttpStillWorks()
    {
        var cookies = await SignInCookiesAsync(_app, Http);

        Assert.That(cookies.Keys, Is.SupersetOf(new[] { "itsm.af", "itsm.auth" }), "signed in over plain HTTP");
        Assert.That(cookies.Values, Has.None.Contain("; secure"), "a Secure cookie would never come back over HTTP");
    }

    // ---- helpers ----

    private static HttpClient Client(WebApplicationFactory<Program> app, string baseAddress) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });

    /// <summary>Signs in as the requester through the form; the Set-Cookie headers by cookie name.</summary>
    private static async Task<Dictionary<string, string>> SignInCookiesAsync(WebApplicationFactory<Program> app, string baseAddress)
    {
        var browser = Client(app, baseAddress);
        var form = await browser.GetAsync("/Account/Login");
        var cookies = SetCookies(form);
        var (_, antiforgery) = await SignInSecurityTests.OpenFormAsync(browser);
        var (status, error, _, response) = await SignInSecurityTests.PostFormAsync(browser, antiforgery, "requester", ItsmApp.Password);
        Assert.That(status, Is.EqualTo(302), error);
        foreach (var (name, header) in SetCookies(response)) cookies[name] = header;
        return cookies;
    }

    private static Dictionary<string, string> SetCookies(HttpResponseMessage response) =>
        (response.Headers.TryGetValues("Set-Cookie", out var headers) ? headers : [])
            .ToDictionary(h => WebUtility.UrlDecode(h[..h.IndexOf('=')]), h => h);
}
