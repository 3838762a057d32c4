using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// The CI panel of the incident and problem pages, posted as a browser does (cookie and anti-forgery token): adding a
/// CI, excluding a service, linking a correlation group; what a requester's page leaves out.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class TicketCiPageTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private readonly Dictionary<string, HttpClient> _browsers = [];
    private HttpClient Agent => App.Api("agent");

    private async Task<HttpClient> BrowserAsync(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser)) _browsers[user] = browser = await App.SignInBrowserAsync(user);
        return browser;
    }

    private async Task<string> PageAsync(string user, string page)
    {
        var response = await (await BrowserAsync(user)).GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {page}");
        return html;
    }

    private async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(string user, string page, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var html = await PageAsync(user, page);
        var token = AntiforgeryField().Match(html);
        Assert.That(token.Success, Is.True, $"{page} has a form with an anti-forgery token");
        var all = fields.Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        var response = await (await BrowserAsync(user)).PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(all));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private async Task<(CmdbTestGraph G, long Shop, long Vm)> ShopAsync()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "Shop");
        var cart = await g.CiAsync("application-component", "cart");
        var vm = await g.CiAsync("virtual-machine", "vm1");
        await g.LinkAsync(shop, "depends-on", cart);
        await g.LinkAsync(cart, "runs-on", vm);
        return (g, shop, vm);
    }

    [Test]
    public async Task AddCi_ThroughThePageForm_AddsItAndThePageShowsTheServiceWithItsPath()
    {
        var (g, _, vm) = await ShopAsync();
        var number = (await LogAsync("agent", new { shortDescription = "Page CI test", impact = 2, urgency = 2 })).Number();

        var (response, html) = await PostFormAsync("agent", $"/Incidents/{number}", "AddCi", [new("ci", g.Name("vm1"))]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), html.Length > 2000 ? html[..2000] : html);
        Assert.That((await App.CisAsync("incidents", number)).AffectedNames(), Is.EqualTo(new[] { g.Name("vm1") }));
        var page = await PageAsync("agent", $"/Incidents/{number}");
        Assert.That(page, Does.Contain($"href=\"/Cmdb/Ci/{vm}\""));
        Assert.That(WebUtility.HtmlDecode(page), Does.Contain($"{g.Name("vm1")} → hosts → {g.Name("cart")} → used by → {g.Name("Shop")}"));
        Assert.That(page, Does.Contain(">computed<"));
    }

    [Test]
    public async Task AddCi_UnknownCi_ShowsTheErrorNextToTheInputAndChangesNothing()
    {
        var number = (await LogAsync("agent", new { shortDescription = "Page CI test", impact = 2, urgency = 2 })).Number();

        var (response, html) = await PostFormAsync("agent", $"/Incidents/{number}", "AddCi", [new("ci", "no-such-ci-<b>x</b>")]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("id=\"ci-error\"").And.Contain("There is no CI named"));
        Assert.That(html, Does.Not.Contain("<b>x</b>"), "what was typed is encoded");
        Assert.That((await App.CisAsync("incidents", number)).AffectedNames(), Is.Empty);
    }

    [Test]
    public async Task ExcludeService_ThroughThePageForm_IsKept()
    {
        var (g, shop, vm) = await ShopAsync();
        var number = (await LogAsync("agent", new { shortDescription = "Page CI test", impact = 2, urgency = 2 })).Number();
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm }), HttpStatusCode.OK);

        var (response, _) = await PostFormAsync("agent", $"/Incidents/{number}", "ImpactedService", [new("ciId", shop.ToString()), new("exclude", "true")]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await App.RefreshImpactedServicesAsync();
        Assert.That((await App.CisAsync("incidents", number)).Services(), Is.EqualTo(new[] { $"{g.Name("Shop")}:excluded" }));
    }

    [Test]
    public async Task LinkCorrelated_ThroughThePageForm_LinksTheGroupUnderTheMajorIncident()
    {
        var (_, _, vm) = await ShopAsync();
        var major = (await LogAsync("agent", new { shortDescription = "Shop down", impact = 2, urgency = 2 })).Number();
        var other = (await LogAsync("agent", new { shortDescription = "Shop slow", impact = 2, urgency = 2 })).Number();
        foreach (var n in new[] { major, other })
            await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", n, new { ciId = vm }), HttpStatusCode.OK);
        var page = await PageAsync("agent", $"/Incidents/{major}");
        Assert.That(page, Does.Contain("Probable common cause").And.Contain("Link as major incident"));

        var (response, _) = await PostFormAsync("agent", $"/Incidents/{major}", "LinkCorrelated", [new("incidents", other), new("linkAs", "major-incident")]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await GetAsync("agent", other)).TextOrNull("parentIncidentNumber"), Is.EqualTo(major));
    }

    [Test]
    public async Task RequesterPage_ShowsNoCiDataAndRefusesTheCiForms()
    {
        var (g, _, vm) = await ShopAsync();
        var number = (await LogAsync("requester", new { shortDescription = "My shop page is blank", impact = 2, urgency = 2 })).Number();
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm }), HttpStatusCode.OK);

        var page = await PageAsync("requester", $"/Incidents/{number}");
        Assert.That(page, Does.Not.Contain("Configuration items").And.Not.Contain(g.Name("vm1")).And.Not.Contain(g.Name("Shop")).And.Not.Contain("Affected cis"));

        var (response, _) = await PostFormAsync("requester", $"/Incidents/{number}", "RemoveCi", [new("ciId", vm.ToString())]);
        Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), "forbidden");
        Assert.That((await App.CisAsync("incidents", number)).AffectedNames(), Is.EqualTo(new[] { g.Name("vm1") }));
    }

    [Test]
    public async Task ProblemPage_ShowsItsAffectedCis()
    {
        var (g, _, vm) = await ShopAsync();
        var problem = (await IncidentApi.ExpectAsync(await App.Api("problemmanager").PostAsJsonAsync("/api/v1/problems", new { shortDescription = "Page CI problem" }), HttpStatusCode.Created)).Number();

        var (response, _) = await PostFormAsync("problemmanager", $"/Problems/{problem}", "AddCi", [new("ci", vm.ToString())]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var page = await PageAsync("problemmanager", $"/Problems/{problem}");
        Assert.That(page, Does.Contain(g.Name("vm1")).And.Contain(g.Name("Shop")));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
