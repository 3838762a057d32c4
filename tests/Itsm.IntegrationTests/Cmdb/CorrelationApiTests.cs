using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// Incident correlation through the API on a small hand-built estate: three components on three VMs behind one access
/// switch, and one component on a VM behind another switch. The switch is proposed as the common cause, the hop limit
/// is respected, and the group is linked under a major incident or a new problem in one step.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CorrelationApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private HttpClient Agent => App.Api("agent");

    private sealed record Estate(CmdbTestGraph G, long Switch, string Cart, string Checkout, string Payroll, string Wiki);

    /// <summary>cart, checkout and payroll each run on a VM that connects to sw; wiki runs on a VM on sw2. One incident on each.</summary>
    private async Task<Estate> EstateAsync()
    {
        var g = new CmdbTestGraph(App, Marker());
        var sw = await g.CiAsync("network-device", "sw-acc");
        var sw2 = await g.CiAsync("network-device", "sw-other");
        var incidents = new List<string>();
        foreach (var (component, vmName, onSwitch) in new[] { ("cart", "vm-a", sw), ("checkout", "vm-b", sw), ("payroll", "vm-c", sw), ("wiki", "vm-d", sw2) })
        {
            var cmp = await g.CiAsync("application-component", component);
            var vm = await g.CiAsync("virtual-machine", vmName);
            await g.LinkAsync(cmp, "runs-on", vm);
            await g.LinkAsync(vm, "connects-to", onSwitch);
            var number = (await LogAsync("agent", new { shortDescription = $"{component} is down", impact = 2, urgency = 2 })).Number();
            await IncidentApi.ExpectAsync(await Agent.AddCiAsync("incidents", number, new { ciId = cmp }), HttpStatusCode.OK);
            incidents.Add(number);
        }
        return new Estate(g, sw, incidents[0], incidents[1], incidents[2], incidents[3]);
    }

    private async Task<JsonElement> CorrelationAsync(string number, string query = "") =>
        await IncidentApi.ExpectAsync(await Agent.GetAsync($"/api/v1/incidents/{number}/correlation{query}"), HttpStatusCode.OK);

    [Test]
    public async Task Correlation_IncidentsBehindOneSwitch_ProposesTheSwitchWithThePaths()
    {
        var e = await EstateAsync();

        var correlation = await CorrelationAsync(e.Cart);

        var cause = correlation.GetProperty("probableCause");
        Assert.That(cause.GetProperty("sharedCi").GetProperty("id").GetInt64(), Is.EqualTo(e.Switch));
        Assert.That(correlation.GetProperty("hops").GetInt32(), Is.EqualTo(3), "the configured default");
        var members = cause.GetProperty("incidents").EnumerateArray().ToList();
        Assert.That(members.Select(m => m.Number()), Is.EquivalentTo(new[] { e.Checkout, e.Payroll }), "not the incident behind the other switch");
        var checkout = members.Single(m => m.Number() == e.Checkout).GetProperty("path").EnumerateArray().ToList();
        Assert.That(checkout.Select(p => p.GetProperty("ci").Text("name")), Is.EqualTo(new[] { e.G.Name("checkout"), e.G.Name("vm-b"), e.G.Name("sw-acc") }));
        Assert.That(checkout.Skip(1).Select(p => p.Text("phrase")), Is.EqualTo(new[] { "runs on", "connects to" }));
        Assert.That(cause.GetProperty("path").EnumerateArray().Select(p => p.GetProperty("ci").Text("name")),
            Is.EqualTo(new[] { e.G.Name("cart"), e.G.Name("vm-a"), e.G.Name("sw-acc") }));
        Assert.That((await CorrelationAsync(e.Wiki)).GetProperty("groups").GetArrayLength(), Is.Zero, "wiki shares nothing with the others");
    }

    [Test]
    public async Task Correlation_WithFewerHopsThanTheSwitchIsAway_FindsNoGroup()
    {
        var e = await EstateAsync();

        var near = await CorrelationAsync(e.Cart, "?hops=1");

        Assert.That(near.GetProperty("groups").GetArrayLength(), Is.Zero, "the switch is two hops up");
        Assert.That(near.GetProperty("probableCause").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That((await CorrelationAsync(e.Cart, "?hops=2")).GetProperty("probableCause").GetProperty("sharedCi").GetProperty("id").GetInt64(), Is.EqualTo(e.Switch));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.GetAsync($"/api/v1/incidents/{e.Cart}/correlation?hops=0")), Is.EqualTo(new[] { "hops" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.GetAsync($"/api/v1/incidents/{e.Cart}/correlation?hops=99")), Is.EqualTo(new[] { "hops" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.GetAsync($"/api/v1/incidents/{e.Cart}/correlation?hops=two")), Is.EqualTo(new[] { "hops" }));
    }

    [Test]
    public async Task LinkCorrelated_AsMajorIncident_MakesTheOthersChildrenInOneStep()
    {
        var e = await EstateAsync();

        var done = await IncidentApi.ExpectAsync(await Agent.PostAsJsonAsync($"/api/v1/incidents/{e.Cart}/correlation/link",
            new { incidents = new[] { e.Checkout, e.Payroll.ToLowerInvariant() }, @as = "major-incident" }), HttpStatusCode.OK);

        Assert.That(done.Number(), Is.EqualTo(e.Cart));
        foreach (var child in new[] { e.Checkout, e.Payroll })
            Assert.That((await GetAsync("agent", child)).TextOrNull("parentIncidentNumber"), Is.EqualTo(e.Cart));
        Assert.That((await GetAsync("agent", e.Cart)).GetProperty("childIncidentNumbers").EnumerateArray().Select(c => c.GetString()),
            Is.EquivalentTo(new[] { e.Checkout, e.Payroll }));
        var children = (await CorrelationAsync(e.Cart)).GetProperty("probableCause").GetProperty("incidents").EnumerateArray();
        Assert.That(children.Select(c => c.TextOrNull("parentIncidentNumber")), Is.All.EqualTo(e.Cart), "the box shows they are linked");
    }

    [Test]
    public async Task LinkCorrelated_AsProblem_RaisesOneProblemAndLinksThemAll()
    {
        var e = await EstateAsync();

        var done = await IncidentApi.ExpectAsync(await Agent.PostAsJsonAsync($"/api/v1/incidents/{e.Cart}/correlation/link",
            new { incidents = new[] { e.Checkout, e.Payroll }, @as = "problem" }), HttpStatusCode.OK);

        var problem = done.Number();
        Assert.That(problem, Does.StartWith("PRB"));
        var details = await IncidentApi.ExpectAsync(await App.Api("problemmanager").GetAsync($"/api/v1/problems/{problem}"), HttpStatusCode.OK);
        Assert.That(details.Text("shortDescription"), Is.EqualTo("cart is down"));
        Assert.That(details.GetProperty("incidents").EnumerateArray().Select(i => i.Number()), Is.EquivalentTo(new[] { e.Cart, e.Checkout, e.Payroll }));
    }

    [Test]
    public async Task LinkCorrelated_BadInputOrTheWrongPeople_AreRefusedAndChangeNothing()
    {
        var e = await EstateAsync();
        var problemsBefore = (await IncidentApi.ExpectAsync(await App.Api("problemmanager").GetAsync("/api/v1/problems?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();
        var path = $"/api/v1/incidents/{e.Cart}/correlation/link";

        Assert.That((await App.Api("requester").PostAsJsonAsync(path, new { incidents = new[] { e.Checkout }, @as = "problem" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await App.Api("engineer").PostAsJsonAsync(path, new { incidents = new[] { e.Checkout }, @as = "problem" })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Checkout }, @as = "child" })), Is.EqualTo(new[] { "as" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Checkout, "INC9999999" }, @as = "problem" })), Is.EqualTo(new[] { "incidents" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Checkout, "PRB0001001" }, @as = "major-incident" })), Is.EqualTo(new[] { "incidents" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Cart }, @as = "major-incident" })), Is.EqualTo(new[] { "incidents" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { 42 }, @as = "problem" })), Is.EqualTo(new[] { "incidents" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = Array.Empty<string>(), @as = "problem" })), Is.EqualTo(new[] { "incidents" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Checkout }, @as = "problem", force = true })), Is.EqualTo(new[] { "force" }));
        Assert.That((await Agent.PostAsJsonAsync("/api/v1/incidents/INC9999999/correlation/link", new { incidents = new[] { e.Checkout }, @as = "problem" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        // A child of the subject cannot become its parent: the whole step is refused.
        await IncidentApi.ExpectAsync(await Agent.PostAsJsonAsync($"/api/v1/incidents/{e.Payroll}/correlation/link", new { incidents = new[] { e.Wiki }, @as = "major-incident" }), HttpStatusCode.OK);
        var nested = await IncidentApi.ExpectAsync(await Agent.PostAsJsonAsync(path, new { incidents = new[] { e.Checkout, e.Payroll }, @as = "major-incident" }), HttpStatusCode.Conflict);
        Assert.That(nested.Text("rule"), Is.EqualTo("parent-nested"));

        Assert.That((await GetAsync("agent", e.Checkout)).TextOrNull("parentIncidentNumber"), Is.Null);
        Assert.That((await GetAsync("agent", e.Checkout)).GetProperty("problem").ValueKind, Is.EqualTo(JsonValueKind.Null));
        var problemsAfter = (await IncidentApi.ExpectAsync(await App.Api("problemmanager").GetAsync("/api/v1/problems?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();
        Assert.That(problemsAfter, Is.EqualTo(problemsBefore));
    }
}
