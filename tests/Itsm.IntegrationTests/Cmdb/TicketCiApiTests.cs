using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Itsm.Application.Features.Tickets;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>A small CMDB built through the API for one test: every name carries the test's marker, so tests never meet.</summary>
public sealed class CmdbTestGraph(ItsmApp app, string marker)
{
    private HttpClient Engineer => app.Api("engineer");

    public async Task<long> CiAsync(string cls, string name, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["class"] = cls, ["name"] = $"{name}-{marker}" };
        if (cls is "virtual-machine" or "network-device" or "server") body["attributes"] = new Dictionary<string, string> { ["hostname"] = $"{name}-{marker}" };
        if (extra is Dictionary<string, object?> more) foreach (var (k, v) in more) body[k] = v;
        var created = await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync("/api/v1/cis", body), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    public async Task<long> LinkAsync(long source, string type, long target)
    {
        var created = await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync("/api/v1/relationships", new { sourceId = source, type, targetId = target }), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    public async Task UnlinkAsync(long relationship) =>
        await IncidentApi.ExpectAsync(await Engineer.DeleteAsync($"/api/v1/relationships/{relationship}"), HttpStatusCode.OK);

    public string Name(string name) => $"{name}-{marker}";
}

public static class TicketCiApi
{
    public static Task<HttpResponseMessage> AddCiAsync(this HttpClient client, string kindPath, string number, object body) =>
        client.PostAsJsonAsync($"/api/v1/{kindPath}/{number}/cis", body);

    public static async Task<JsonElement> CisAsync(this ItsmApp app, string kindPath, string number, string user = "agent") =>
        await IncidentApi.ExpectAsync(await app.Api(user).GetAsync($"/api/v1/{kindPath}/{number}/cis"), HttpStatusCode.OK);

    public static IReadOnlyList<string> AffectedNames(this JsonElement cis) =>
        cis.GetProperty("affectedCis").EnumerateArray().Select(a => a.GetProperty("ci").Text("name")).ToList();

    /// <summary>Each impacted service as "name:origin" or "name:excluded".</summary>
    public static IReadOnlyList<string> Services(this JsonElement cis) =>
        cis.GetProperty("impactedServices").EnumerateArray()
            .Select(s => $"{s.GetProperty("ci").Text("name")}:{(s.GetProperty("excluded").GetBoolean() ? "excluded" : s.Text("origin"))}")
            .Order(StringComparer.Ordinal).ToList();

    public static async Task<ImpactedServicesRefreshed> RefreshImpactedServicesAsync(this ItsmApp app)
    {
        using var scope = app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RefreshImpactedServices());
    }

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}

/// <summary>
/// Affected CIs and impacted services of incidents and problems through the API: computed services with their paths,
/// people's include / exclude decisions kept across refreshes, refresh after a graph change, related open incidents,
/// history, and what bad input and the wrong people get.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class TicketCiApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private HttpClient Agent => App.Api("agent");

    /// <summary>Shop depends on cart, which runs on vm1; Checkout depends on checkout, which runs on vm2.</summary>
    private async Task<(CmdbTestGraph G, long Shop, long Cart, long Vm1, long Checkout, long Vm2, long CheckoutService)> ShopAsync()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "Shop");
        var cart = await g.CiAsync("application-component", "cart");
        var vm1 = await g.CiAsync("virtual-machine", "vm1");
        var checkoutService = await g.CiAsync("business-service", "Checkout");
        var checkout = await g.CiAsync("application-component", "checkout");
        var vm2 = await g.CiAsync("virtual-machine", "vm2");
        await g.LinkAsync(shop, "depends-on", cart);
        await g.LinkAsync(cart, "runs-on", vm1);
        await g.LinkAsync(checkoutService, "depends-on", checkout);
        await g.LinkAsync(checkout, "runs-on", vm2);
        return (g, shop, cart, vm1, checkout, vm2, checkoutService);
    }

    private async Task<string> IncidentAsync(string user = "agent") =>
        (await LogAsync(user, new { shortDescription = "CI test " + Marker(), impact = 2, urgency = 2 })).Number();

    [Test]
    public async Task AddAffectedCi_ComputesTheImpactedServicesWithTheirPaths()
    {
        var (g, _, _, vm1, _, _, _) = await ShopAsync();
        var number = await IncidentAsync();

        var cis = await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm1 }), HttpStatusCode.OK);

        Assert.That(cis.AffectedNames(), Is.EqualTo(new[] { g.Name("vm1") }));
        Assert.That(cis.Services(), Is.EqualTo(new[] { $"{g.Name("Shop")}:computed" }));
        var path = cis.GetProperty("impactedServices")[0].GetProperty("path").EnumerateArray().ToList();
        Assert.That(path.Select(p => p.GetProperty("ci").Text("name")), Is.EqualTo(new[] { g.Name("vm1"), g.Name("cart"), g.Name("Shop") }));
        Assert.That(path.Skip(1).Select(p => p.Text("phrase")), Is.EqualTo(new[] { "hosts", "used by" }));
        var history = await IncidentApi.ExpectAsync(await Agent.GetAsync($"/api/v1/incidents/{number}/history"), HttpStatusCode.OK);
        var fields = history.EnumerateArray().Select(h => (h.Text("field"), h.TextOrNull("newValue"))).ToList();
        Assert.That(fields, Does.Contain(("affectedCis", (string?)$"{g.Name("vm1")} (CI {vm1})")));
        Assert.That(fields.Where(f => f.Item1 == "impactedServices").Select(f => f.Item2), Has.Some.StartsWith(g.Name("Shop")));
    }

    [Test]
    public async Task AddAffectedCi_ByExactName_FindsTheCi()
    {
        var (g, _, cart, _, _, _, _) = await ShopAsync();
        var number = await IncidentAsync();

        var cis = await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { name = g.Name("cart") }), HttpStatusCode.OK);

        Assert.That(cis.GetProperty("affectedCis")[0].GetProperty("ci").GetProperty("id").GetInt64(), Is.EqualTo(cart));
        Assert.That(cis.Services(), Is.EqualTo(new[] { $"{g.Name("Shop")}:computed" }));
    }

    [Test]
    public async Task Decisions_ManualIncludeAndExclude_AreKeptWhileComputedServicesFollowTheAffectedCis()
    {
        var (g, shop, _, vm1, _, vm2, _) = await ShopAsync();
        var manual = await g.CiAsync("business-service", "Manual");
        var number = await IncidentAsync();
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm1 }), HttpStatusCode.OK);

        await IncidentApi.ExpectAsync(await Agent.PostAsync($"/api/v1/incidents/{number}/impacted-services/{manual}/include", null), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Agent.PostAsync($"/api/v1/incidents/{number}/impacted-services/{shop}/exclude", null), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm2 }), HttpStatusCode.OK);
        await App.RefreshImpactedServicesAsync();
        var both = await App.CisAsync("incidents", number);
        Assert.That(both.Services(), Is.EqualTo(new[] { $"{g.Name("Checkout")}:computed", $"{g.Name("Manual")}:manual", $"{g.Name("Shop")}:excluded" }));

        await IncidentApi.ExpectAsync(await Agent.DeleteAsync($"/api/v1/incidents/{number}/cis/{vm2}"), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Agent.DeleteAsync($"/api/v1/incidents/{number}/cis/{vm1}"), HttpStatusCode.OK);
        await App.RefreshImpactedServicesAsync();

        var after = await App.CisAsync("incidents", number);
        Assert.That(after.AffectedNames(), Is.Empty);
        Assert.That(after.Services(), Is.EqualTo(new[] { $"{g.Name("Manual")}:manual", $"{g.Name("Shop")}:excluded" }));
    }

    [Test]
    public async Task RefreshImpactedServices_AfterARelationshipIsAdded_AddsTheNewServiceAndDropsItWhenRemoved()
    {
        var g = new CmdbTestGraph(App, Marker());
        var wiki = await g.CiAsync("application-component", "wiki");
        var number = await IncidentAsync();
        var cis = await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = wiki }), HttpStatusCode.OK);
        Assert.That(cis.Services(), Is.Empty);
        var version = cis.GetProperty("version").GetInt32();

        var intranet = await g.CiAsync("business-service", "Intranet");
        var link = await g.LinkAsync(intranet, "depends-on", wiki);
        Assert.That((await App.CisAsync("incidents", number)).Services(), Is.Empty, "computed rows change only when refreshed");
        var refreshed = await App.RefreshImpactedServicesAsync();

        Assert.That(refreshed.Changed, Is.GreaterThanOrEqualTo(1));
        var after = await App.CisAsync("incidents", number);
        Assert.That(after.Services(), Is.EqualTo(new[] { $"{g.Name("Intranet")}:computed" }));
        Assert.That(after.GetProperty("impactedServices")[0].GetProperty("path").GetArrayLength(), Is.EqualTo(2));
        Assert.That(after.GetProperty("version").GetInt32(), Is.EqualTo(version), "a graph refresh does not move the ticket's version");

        await g.UnlinkAsync(link);
        await App.RefreshImpactedServicesAsync();
        Assert.That((await App.CisAsync("incidents", number)).Services(), Is.Empty);
    }

    [Test]
    public async Task Problems_HaveAffectedCisToo_WorkedByProblemManagers()
    {
        var (g, _, cart, _, _, _, _) = await ShopAsync();
        var problem = (await IncidentApi.ExpectAsync(await App.Api("problemmanager").PostAsJsonAsync("/api/v1/problems", new { shortDescription = "CI test problem" }), HttpStatusCode.Created)).Number();

        var refused = await Agent.AddCiAsync("problems", problem, new { ciId = cart });
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var cis = await IncidentApi.ExpectAsync(await App.Api("problemmanager").AddCiAsync("problems", problem, new { ciId = cart }), HttpStatusCode.OK);

        Assert.That(cis.Services(), Is.EqualTo(new[] { $"{g.Name("Shop")}:computed" }));
        Assert.That((await App.CisAsync("problems", problem, "agent")).AffectedNames(), Is.EqualTo(new[] { g.Name("cart") }), "agents read them");
    }

    [Test]
    public async Task Requester_SeesNoCiDataOfTheirOwnIncident()
    {
        var (g, _, _, vm1, _, _, _) = await ShopAsync();
        var number = await IncidentAsync("requester");
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = vm1 }), HttpStatusCode.OK);
        var requester = App.Api("requester");

        Assert.That((await requester.GetAsync($"/api/v1/incidents/{number}/cis")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await requester.GetAsync($"/api/v1/incidents/{number}/related")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await requester.GetAsync($"/api/v1/incidents/{number}/correlation")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await requester.AddCiAsync("incidents", number, new { ciId = vm1 })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var incident = await (await requester.GetAsync($"/api/v1/incidents/{number}")).Content.ReadAsStringAsync();
        var history = await (await requester.GetAsync($"/api/v1/incidents/{number}/history")).Content.ReadAsStringAsync();
        Assert.That(incident + history, Does.Not.Contain(g.Name("vm1")).And.Not.Contain(g.Name("Shop")).And.Not.Contain("affectedCis"));
    }

    [Test]
    public async Task AddAffectedCi_BadInput_GetsAClearErrorAndChangesNothing()
    {
        var (g, _, cart, _, _, _, _) = await ShopAsync();
        var secret = await g.CiAsync("database", "payroll-db", new Dictionary<string, object?>
        {
            ["restricted"] = true, ["ownerGroup"] = "Database Administration", ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" },
        });
        var number = await IncidentAsync();
        await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = cart }), HttpStatusCode.OK);
        var before = await App.CisAsync("incidents", number);

        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { ciId = 987654321 })), Is.EqualTo(new[] { "ciId" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { ciId = secret })), Is.EqualTo(new[] { "ciId" }), "a restricted CI is unknown to someone outside its groups");
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { name = g.Name("payroll-db") })), Is.EqualTo(new[] { "name" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { ciId = "12" })), Is.EqualTo(new[] { "ciId" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { ciId = cart, role = "impacted" })), Is.EqualTo(new[] { "role" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { ciId = cart, name = g.Name("cart") })), Is.EqualTo(new[] { "ci" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.AddCiAsync("incidents", number, new { })), Is.EqualTo(new[] { "ci" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostRawAsync($"/api/v1/incidents/{number}/cis", "[1]")), Is.EqualTo(new[] { "body" }));
        var twice = await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = cart }), HttpStatusCode.Conflict);
        Assert.That(twice.Text("rule"), Is.EqualTo("ci-already-affected"));
        Assert.That((await App.Api("problemmanager").AddCiAsync("problems", number, new { ciId = cart })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "an incident number under problems");
        Assert.That((await Agent.AddCiAsync("incidents", "INC9999999", new { ciId = cart })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Agent.DeleteAsync($"/api/v1/incidents/{number}/cis/{secret}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsync($"/api/v1/incidents/{number}/impacted-services/{cart}/include", null)), Is.EqualTo(new[] { "ciId" }), "only services");
        Assert.That((await Agent.PostAsync($"/api/v1/incidents/{number}/impacted-services/{secret}/exclude", null)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/incidents/{number}/cis/{cart}");
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.That((await Agent.SendAsync(stale)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));

        var after = await App.CisAsync("incidents", number);
        Assert.That(after.ToString(), Is.EqualTo(before.ToString()), "nothing changed");

        // Someone in the restricted CI's group adds it; others see it only as a restricted CI.
        await IncidentApi.ExpectAsync(await App.Api("engineer").AddCiAsync("incidents", number, new { ciId = secret }), HttpStatusCode.OK);
        var seen = await App.CisAsync("incidents", number);
        Assert.That(seen.AffectedNames(), Is.EqualTo(new[] { g.Name("cart"), "Restricted CI" }));
        Assert.That(seen.ToString(), Does.Not.Contain(g.Name("payroll-db")));
        var history = await (await Agent.GetAsync($"/api/v1/incidents/{number}/history")).Content.ReadAsStringAsync();
        Assert.That(history, Does.Not.Contain(g.Name("payroll-db")));
    }

    [Test]
    public async Task ListRelatedIncidents_FindsOpenIncidentsOnTheSameCiItsDependenciesAndItsDependants()
    {
        var (g, shop, cart, vm1, checkout, _, _) = await ShopAsync();
        var subject = await IncidentAsync();
        var sameCi = await IncidentAsync();
        var onDependency = await IncidentAsync();
        var onDependant = await IncidentAsync();
        var unrelated = await IncidentAsync();
        var resolved = await IncidentAsync();
        foreach (var (n, ci) in new[] { (subject, cart), (sameCi, cart), (onDependency, vm1), (onDependant, shop), (unrelated, checkout), (resolved, vm1) })
            await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", n, new { ciId = ci }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Agent.PatchJsonAsync(resolved, new { assignmentGroupId = await GroupIdAsync("Service Desk"), assigneeId = await UserIdAsync("agent") }), HttpStatusCode.OK);
        await ResolveAsync(resolved);

        var related = await IncidentApi.ExpectAsync(await Agent.GetAsync($"/api/v1/incidents/{subject}/related"), HttpStatusCode.OK);

        var found = related.EnumerateArray().ToDictionary(r => r.Number(), r => r.Text("relation"));
        Assert.That(found, Is.EquivalentTo(new Dictionary<string, string> { [sameCi] = "same-ci", [onDependency] = "dependency", [onDependant] = "dependant" }));
        var path = related.EnumerateArray().Single(r => r.Number() == onDependency).GetProperty("path").EnumerateArray().Select(p => p.GetProperty("ci").Text("name"));
        Assert.That(path, Is.EqualTo(new[] { g.Name("cart"), g.Name("vm1") }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.GetAsync($"/api/v1/incidents/{subject}/related?hops=0")), Is.EqualTo(new[] { "hops" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.GetAsync($"/api/v1/incidents/{subject}/related?depth=2")), Is.EqualTo(new[] { "depth" }));
    }
}
