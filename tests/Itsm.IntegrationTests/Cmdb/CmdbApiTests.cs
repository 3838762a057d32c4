using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>What the CMDB holds, counted in the database: a refused request must leave every number as it was.</summary>
public sealed record CmdbCounts(int Cis, int LiveRelationships, int Relationships, int Changesets, int Entries, int IdempotencyKeys)
{
    public static Task<CmdbCounts> OfAsync(ItsmApp app) => app.WithDbAsync(async db => new CmdbCounts(
        await db.ConfigurationItems.CountAsync(), await db.Relationships.CountAsync(r => r.DeletedAt == null), await db.Relationships.CountAsync(),
        await db.CmdbChangesets.CountAsync(), await db.CmdbChangeEntries.CountAsync(), await db.IdempotencyRecords.CountAsync()));
}

public static class CmdbApi
{
    public static long Id(this JsonElement e) => e.GetProperty("id").GetInt64();

    public static string? Attribute(this JsonElement ci, string name) =>
        ci.GetProperty("attributes").EnumerateArray().Single(a => a.Text("name") == name).TextOrNull("value");

    /// <summary>A time in a query string: ISO 8601, escaped (its '+' would otherwise be read as a space).</summary>
    public static string Q(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    /// <summary>The names of the CIs of a list of items that each have a "ci".</summary>
    public static IReadOnlyList<string> Names(this JsonElement items) =>
        items.EnumerateArray().Select(i => i.GetProperty("ci").Text("name")).ToList();
}

/// <summary>
/// The CMDB API (/api/v1/cis, /relationships, /impact, /cmdb): registering, reading, updating and retiring CIs with
/// ETags and Idempotency-Key; searching; relating CIs under the type's class rules; the neighbourhood graph; impact and
/// dependencies through a redundant cluster; reading the past (asOf, diff, changesets); and bad input at every endpoint,
/// refused with a problem document that names the field, the CMDB unchanged.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CmdbApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private HttpClient Engineer => App.Api("engineer");

    private Task<Reply> SendAsync(HttpMethod method, string path, string? body = null, string user = "engineer",
        Action<HttpRequestMessage>? configure = null, string contentType = "application/json") =>
        App.Api(user).SendAsync(method, path, body, contentType, configure);

    private static Action<HttpRequestMessage> Header(string name, string value) => r => r.Headers.TryAddWithoutValidation(name, value);

    private async Task<JsonElement> GetOkAsync(string path, string user = "agent") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync(path), HttpStatusCode.OK);

    private static string Json(object body) => JsonSerializer.Serialize(body);

    /// <summary>A change to name on a CMDB write (a named change must exist): a new normal change, its number.</summary>
    private async Task<string> RaiseChangeAsync() =>
        (await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync("/api/v1/changes", new { type = "normal", shortDescription = "CMDB test change" }),
            HttpStatusCode.Created)).Text("number");

    /// <summary>The refusal's field errors: a 400 problem document naming <paramref name="field"/>.</summary>
    private static void AssertNames(Reply reply, string field)
    {
        Assert.That(reply.Status, Is.EqualTo(400), reply.ToString());
        Assert.That(reply.IsProblem, Is.True, reply.ToString());
        Assert.That(reply.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field), reply.ToString());
    }

    /// <summary>
    /// shop (service) depends on cart (component), which runs on vm and depends on db; vm runs on cluster, which has
    /// three hypervisor hosts as members and needs 2 of them up.
    /// </summary>
    private sealed record Estate(CmdbTestGraph G, long Shop, long Cart, long Db, long Vm, long Cluster, long H1, long H2, long H3);

    private async Task<Estate> EstateAsync(string redundancy = "needs 2 up")
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var cart = await g.CiAsync("application-component", "cart");
        var db = await g.CiAsync("database", "cart-db", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" } });
        var vm = await g.CiAsync("virtual-machine", "vm");
        var cluster = await g.CiAsync("cluster", "esx-cluster", new Dictionary<string, object?> { ["redundancy"] = redundancy });
        var hosts = new List<long>();
        foreach (var h in new[] { "esx-1", "esx-2", "esx-3" })
        {
            var host = await g.CiAsync("hypervisor-host", h, new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["hostname"] = g.Name(h) } });
            await g.LinkAsync(host, "member-of", cluster);
            hosts.Add(host);
        }
        await g.LinkAsync(shop, "depends-on", cart);
        await g.LinkAsync(cart, "runs-on", vm);
        await g.LinkAsync(cart, "depends-on", db);
        await g.LinkAsync(vm, "runs-on", cluster);
        return new Estate(g, shop, cart, db, vm, cluster, hosts[0], hosts[1], hosts[2]);
    }

    // ---- CIs: register, read, update, retire ------------------------------------------------------------------------

    [Test]
    public async Task RegisterCi_WhenValid_Returns201WithLocationETagAndTheStoredValues()
    {
        var name = "web-" + Marker();
        var changeNumber = await RaiseChangeAsync();
        var body = Json(new
        {
            @class = "virtual-machine", name, status = "Planned", environment = "production", criticality = 2, ownerGroup = "Server Operations",
            attributes = new Dictionary<string, string> { ["hostname"] = name + ".corp.example", ["operating-system"] = "linux", ["cpu-count"] = "4" },
            reason = "New web server", changeNumber = changeNumber.ToLowerInvariant(),
        });

        var reply = await SendAsync(HttpMethod.Post, "/api/v1/cis", body);

        Assert.That(reply.Status, Is.EqualTo(201), reply.ToString());
        var ci = reply.Json;
        Assert.That(reply.Response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/cis/{ci.Id()}"));
        Assert.That(reply.Response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That((ci.Text("name"), ci.Text("class"), ci.Text("status"), ci.TextOrNull("environment"), ci.GetProperty("criticality").GetInt32()),
            Is.EqualTo((name, "virtual-machine", "Planned", (string?)"Production", 2)));
        Assert.That(ci.TextOrNull("ownerGroup"), Is.EqualTo("Server Operations"));
        Assert.That((ci.Attribute("operating-system"), ci.Attribute("cpu-count")), Is.EqualTo(("Linux", "4")), "stored in the class's spelling");
        var read = await App.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cis/{ci.Id()}", null);
        Assert.That(read.Status, Is.EqualTo(200), read.ToString());
        Assert.That(read.Response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That(read.Json.Text("name"), Is.EqualTo(name));
        Assert.That(read.Json.Attribute("hostname"), Is.EqualTo(name + ".corp.example"));
    }

    [Test]
    public async Task RegisterCi_WhenTheIdentifiersAreTaken_Refuses409AndAddsNothing()
    {
        var g = new CmdbTestGraph(App, Marker());
        await g.CiAsync("business-service", "Payroll");
        var before = await CmdbCounts.OfAsync(App);

        var reply = await SendAsync(HttpMethod.Post, "/api/v1/cis", Json(new { @class = "business-service", name = g.Name("payroll").ToUpperInvariant() }));

        Assert.That(reply.Status, Is.EqualTo(409), reply.ToString());
        Assert.That(reply.Json.Text("rule"), Is.EqualTo("ci-duplicate"));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task RegisterCi_WhenTheSameIdempotencyKeyIsSentTwice_ReturnsTheSameCiAndStoresOneRow()
    {
        var name = "idem-" + Marker();
        var body = Json(new { @class = "business-service", name });
        var key = Header("Idempotency-Key", "register-" + name);

        var first = await SendAsync(HttpMethod.Post, "/api/v1/cis", body, configure: key);
        var before = await CmdbCounts.OfAsync(App);
        var second = await SendAsync(HttpMethod.Post, "/api/v1/cis", body, configure: key);

        Assert.That(first.Status, Is.EqualTo(201), first.ToString());
        Assert.That(second.Status, Is.EqualTo(201), second.ToString());
        Assert.That(second.Json.Id(), Is.EqualTo(first.Json.Id()));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before), "the retry writes nothing");
        var found = await GetOkAsync($"/api/v1/cis?name={name}");
        Assert.That(found.GetProperty("total").GetInt32(), Is.EqualTo(1));
        var reused = await SendAsync(HttpMethod.Post, "/api/v1/cis", Json(new { @class = "business-service", name = name + "-other" }), configure: key);
        Assert.That(reused.Status, Is.EqualTo(422), reused.ToString());
        Assert.That(reused.IsProblem, Is.True);
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before), "a key reused with another body registers nothing");
    }

    [Test]
    public async Task UpdateCi_WithTheCurrentIfMatch_ChangesTheFieldsGivenAndMovesTheETag()
    {
        var g = new CmdbTestGraph(App, Marker());
        var id = await g.CiAsync("application-component", "api", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["version"] = "1.0", ["port"] = "8080" } });

        var reply = await SendAsync(HttpMethod.Patch, $"/api/v1/cis/{id}", Json(new { criticality = 1, attributes = new Dictionary<string, string> { ["version"] = "1.1", ["port"] = "" } }),
            configure: Header("If-Match", "\"1\""));

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        Assert.That(reply.Response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        var ci = await GetOkAsync($"/api/v1/cis/{id}");
        Assert.That(ci.GetProperty("criticality").GetInt32(), Is.EqualTo(1));
        Assert.That(ci.GetProperty("version").GetInt32(), Is.EqualTo(2));
        Assert.That((ci.Text("name"), ci.Attribute("version"), ci.Attribute("port")), Is.EqualTo((g.Name("api"), (string?)"1.1", (string?)null)),
            "a field left out keeps its value; an empty one clears it");
    }

    [Test]
    public async Task UpdateCi_WhenIfMatchIsStale_Refuses412AndChangesNothing()
    {
        var g = new CmdbTestGraph(App, Marker());
        var id = await g.CiAsync("business-service", "Mail");
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{id}", new { criticality = 2 }), HttpStatusCode.OK);
        var before = await CmdbCounts.OfAsync(App);
        var ci = await GetOkAsync($"/api/v1/cis/{id}");

        var stale = await SendAsync(HttpMethod.Patch, $"/api/v1/cis/{id}", Json(new { criticality = 1 }), configure: Header("If-Match", "\"1\""));
        var staleRetire = await SendAsync(HttpMethod.Post, $"/api/v1/cis/{id}/retire", configure: Header("If-Match", "\"1\""));

        Assert.That(stale.Status, Is.EqualTo(412), stale.ToString());
        Assert.That(stale.IsProblem, Is.True);
        Assert.That(staleRetire.Status, Is.EqualTo(412), staleRetire.ToString());
        Assert.That((await GetOkAsync($"/api/v1/cis/{id}")).ToString(), Is.EqualTo(ci.ToString()));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task UpdateCi_WhenIfMatchIsMissing_UpdatesWithoutTheVersionCheck()
    {
        // If-Match is optional on the CMDB: without it the last write wins (as on the CMDB page).
        var g = new CmdbTestGraph(App, Marker());
        var id = await g.CiAsync("business-service", "Wiki");
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{id}", new { criticality = 2 }), HttpStatusCode.OK);

        var reply = await SendAsync(HttpMethod.Patch, $"/api/v1/cis/{id}", Json(new { criticality = 4 }));

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        Assert.That(reply.Json.GetProperty("version").GetInt32(), Is.EqualTo(3));
        Assert.That(reply.Json.GetProperty("criticality").GetInt32(), Is.EqualTo(4));
    }

    [Test]
    public async Task UpdateCi_WhenNothingChanges_KeepsTheVersionAndWritesNoChanges()
    {
        var g = new CmdbTestGraph(App, Marker());
        var id = await g.CiAsync("business-service", "Same");
        var before = await CmdbCounts.OfAsync(App);

        var reply = await SendAsync(HttpMethod.Patch, $"/api/v1/cis/{id}", Json(new { name = g.Name("Same") }), configure: Header("If-Match", "\"1\""));

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        Assert.That(reply.Response.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
        Assert.That((await CmdbCounts.OfAsync(App)).Entries, Is.EqualTo(before.Entries));
    }

    [Test]
    public async Task RetireCi_WhenCalled_SetsRetiredAndTheCiTakesNoNewRelationships()
    {
        var g = new CmdbTestGraph(App, Marker());
        var old = await g.CiAsync("application-component", "legacy");
        var vm = await g.CiAsync("virtual-machine", "legacy-vm");
        var shop = await g.CiAsync("business-service", "legacy-shop");
        var newShop = await g.CiAsync("business-service", "new-shop");
        await g.LinkAsync(shop, "depends-on", old);

        var retired = await SendAsync(HttpMethod.Post, $"/api/v1/cis/{old}/retire?reason=Decommissioned", configure: Header("If-Match", "\"1\""));

        Assert.That(retired.Status, Is.EqualTo(200), retired.ToString());
        Assert.That(retired.Json.Text("status"), Is.EqualTo("Retired"));
        Assert.That(retired.Response.Headers.ETag?.Tag, Is.EqualTo("\"2\""));
        Assert.That((await GetOkAsync($"/api/v1/cis/{old}")).Text("status"), Is.EqualTo("Retired"), "kept, with its history");
        Assert.That((await GetOkAsync($"/api/v1/cis/{old}/relationships")).GetArrayLength(), Is.EqualTo(1), "its relationships stay");
        var before = await CmdbCounts.OfAsync(App);
        foreach (var (source, target) in new[] { (old, vm), (newShop, old) })
        {
            var link = await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = source, type = source == old ? "runs-on" : "depends-on", targetId = target }));
            Assert.That(link.Status, Is.EqualTo(409), link.ToString());
            Assert.That(link.Json.Text("rule"), Is.EqualTo("ci-retired"));
        }
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
        var impact = await GetOkAsync($"/api/v1/cis/{vm}/impact");
        Assert.That(impact.GetProperty("totalImpacted").GetInt32(), Is.Zero);
    }

    // ---- Search ------------------------------------------------------------------------------------------------------

    [Test]
    public async Task ListCis_ByParentClass_IncludesItsSubclasses()
    {
        var g = new CmdbTestGraph(App, Marker());
        var server = await g.CiAsync("server", "phys");
        var vm = await g.CiAsync("virtual-machine", "virt");
        var host = await g.CiAsync("hypervisor-host", "hyp", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["hostname"] = g.Name("hyp") } });
        await g.CiAsync("business-service", "svc");

        var servers = await GetOkAsync($"/api/v1/cis?class=server&name={g.Name("")}");
        var vms = await GetOkAsync($"/api/v1/cis?class=virtual-machine&name={g.Name("")}");

        Assert.That(servers.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EquivalentTo(new[] { server, vm, host }));
        Assert.That(servers.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(vms.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EqualTo(new[] { vm }));
    }

    [Test]
    public async Task ListCis_ByNameAndStatus_FindsTheCisThatMatchBoth()
    {
        var m = Marker();
        var g = new CmdbTestGraph(App, m);
        var a = await g.CiAsync("business-service", "Alpha");
        var b = await g.CiAsync("business-service", "Beta", new Dictionary<string, object?> { ["status"] = "Under Maintenance" });
        await g.CiAsync("business-service", "Gamma", new Dictionary<string, object?> { ["status"] = "Planned" });

        var byName = await GetOkAsync($"/api/v1/cis?name={m.ToUpperInvariant()}");
        var byPart = await GetOkAsync($"/api/v1/cis?name=lpha-{m}");
        var byStatus = await GetOkAsync($"/api/v1/cis?name={m}&status=under%20maintenance");
        var operational = await GetOkAsync($"/api/v1/cis?name={m}&status=Operational");

        Assert.That(byName.GetProperty("total").GetInt32(), Is.EqualTo(3), "name contains, ignoring case");
        Assert.That(byPart.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EqualTo(new[] { a }));
        Assert.That(byStatus.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EqualTo(new[] { b }));
        Assert.That(operational.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EqualTo(new[] { a }));
    }

    [Test]
    public async Task ListCis_ByAttribute_MatchesTheNameAndValueExactly()
    {
        var g = new CmdbTestGraph(App, Marker());
        var serial = "SN-" + Marker();
        var odd = "Zürich \"rack\" 5% _A_ C++ <b>&'";
        var linux = await g.CiAsync("virtual-machine", "lin", Attrs(g, "lin", ("operating-system", "Linux"), ("serial-number", serial)));
        var longer = await g.CiAsync("virtual-machine", "lin2", Attrs(g, "lin2", ("operating-system", "Linux"), ("serial-number", serial + "-2")));
        var windows = await g.CiAsync("virtual-machine", "win", Attrs(g, "win", ("operating-system", "Windows"), ("ip-address", serial)));
        var quoted = await g.CiAsync("virtual-machine", "odd", Attrs(g, "odd", ("serial-number", odd)));

        async Task<IReadOnlyList<long>> Find(string attribute) =>
            (await GetOkAsync($"/api/v1/cis?name={g.Name("")}&attribute={Uri.EscapeDataString(attribute)}"))
            .GetProperty("items").EnumerateArray().Select(c => c.Id()).ToList();

        Assert.That(await Find("operating-system:Linux"), Is.EquivalentTo(new[] { linux, longer }));
        Assert.That(await Find("operating-system:Windows"), Is.EqualTo(new[] { windows }));
        Assert.That(await Find($"serial-number:{serial}"), Is.EqualTo(new[] { linux }), "the exact value, not one that starts with it");
        Assert.That(await Find($"ip-address:{serial}"), Is.EqualTo(new[] { windows }), "the value under that attribute only");
        Assert.That(await Find($"number:{serial}"), Is.Empty, "the whole attribute name, not its end");
        Assert.That(await Find("serial-number:SN"), Is.Empty);
        Assert.That(await Find($"serial-number:{odd}"), Is.EqualTo(new[] { quoted }), "quotes, %, _, non-ASCII and HTML characters taken literally");
        Assert.That(await Find("serial-number:%"), Is.Empty);
        Assert.That(await Find("operating-system: Linux "), Is.EquivalentTo(new[] { linux, longer }), "trimmed");
        var all = await GetOkAsync($"/api/v1/cis?attribute={Uri.EscapeDataString($"serial-number:{serial}")}");
        Assert.That(all.GetProperty("items").EnumerateArray().Select(c => c.Id()), Is.EqualTo(new[] { linux }), "without another filter too");
    }

    private static Dictionary<string, object?> Attrs(CmdbTestGraph g, string host, params (string Name, string Value)[] attributes)
    {
        var map = attributes.ToDictionary(a => a.Name, a => a.Value);
        map["hostname"] = g.Name(host);
        return new Dictionary<string, object?> { ["attributes"] = map };
    }

    [Test]
    public async Task ListCis_WithPageAndPageSize_ReturnsThatSliceInNameOrder()
    {
        var g = new CmdbTestGraph(App, Marker());
        var ids = new List<long>();
        foreach (var n in new[] { "e", "b", "d", "a", "c" }) ids.Add(await g.CiAsync("business-service", n));

        var first = await GetOkAsync($"/api/v1/cis?name={g.Name("")}&pageSize=2");
        var third = await GetOkAsync($"/api/v1/cis?name={g.Name("")}&pageSize=2&page=3");
        var beyond = await GetOkAsync($"/api/v1/cis?name={g.Name("")}&pageSize=2&page=4");

        Assert.That(first.GetProperty("items").EnumerateArray().Select(c => c.Text("name")), Is.EqualTo(new[] { g.Name("a"), g.Name("b") }));
        Assert.That((first.GetProperty("total").GetInt32(), first.GetProperty("page").GetInt32(), first.GetProperty("pageSize").GetInt32(), first.GetProperty("pageCount").GetInt32()),
            Is.EqualTo((5, 1, 2, 3)));
        Assert.That(third.GetProperty("items").EnumerateArray().Select(c => c.Text("name")), Is.EqualTo(new[] { g.Name("e") }));
        Assert.That(beyond.GetProperty("items").GetArrayLength(), Is.Zero);
    }

    // ---- Relationships -------------------------------------------------------------------------------------------------

    [Test]
    public async Task LinkCis_WhenTheTypeAllowsTheClasses_Returns201AndBothEndsListIt()
    {
        var g = new CmdbTestGraph(App, Marker());
        var app = await g.CiAsync("application-component", "app");
        var vm = await g.CiAsync("virtual-machine", "vm");

        var reply = await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = app, type = "runs-on", targetId = vm, reason = "Deployed" }));

        Assert.That(reply.Status, Is.EqualTo(201), reply.ToString());
        var id = reply.Json.Id();
        Assert.That(reply.Response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/relationships/{id}"));
        Assert.That((reply.Json.Text("type"), reply.Json.GetProperty("source").Id(), reply.Json.GetProperty("target").Id()), Is.EqualTo(("runs-on", app, vm)));
        var fromApp = (await GetOkAsync($"/api/v1/cis/{app}/relationships")).EnumerateArray().Single();
        var fromVm = (await GetOkAsync($"/api/v1/cis/{vm}/relationships")).EnumerateArray().Single();
        Assert.That((fromApp.Id(), fromApp.Text("phrase"), fromApp.GetProperty("outgoing").GetBoolean(), fromApp.GetProperty("other").Id()), Is.EqualTo((id, "runs on", true, vm)));
        Assert.That((fromVm.Id(), fromVm.Text("phrase"), fromVm.GetProperty("outgoing").GetBoolean(), fromVm.GetProperty("other").Id()), Is.EqualTo((id, "hosts", false, app)));
    }

    [Test]
    public async Task LinkCis_WhenTheClassPairIsNotAllowed_Refuses409NamingTheAllowedClassesAndAddsNothing()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var app = await g.CiAsync("application-component", "app");
        var db = await g.CiAsync("database", "db", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["engine"] = "MySQL" } });
        var before = await CmdbCounts.OfAsync(App);

        var badSource = await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = shop, type = "runs-on", targetId = app }));
        var badTarget = await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = app, type = "runs-on", targetId = db }));

        Assert.That(badSource.Status, Is.EqualTo(409), badSource.ToString());
        Assert.That(badSource.Json.Text("rule"), Is.EqualTo("relationship-class-not-allowed"));
        Assert.That(badSource.Json.Text("detail"), Does.Contain("business-service cannot be the source of 'runs on'").And.Contain("application-component"));
        Assert.That(badTarget.Status, Is.EqualTo(409), badTarget.ToString());
        Assert.That(badTarget.Json.Text("detail"), Does.Contain("database cannot be the target of 'runs on'").And.Contain("server"));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task LinkCis_WhenTheSameRelationshipIsAlive_Refuses409()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var app = await g.CiAsync("application-component", "app");
        await g.LinkAsync(shop, "depends-on", app);
        var before = await CmdbCounts.OfAsync(App);

        var twice = await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = shop, type = "depends-on", targetId = app }));

        Assert.That(twice.Status, Is.EqualTo(409), twice.ToString());
        Assert.That(twice.Json.Text("rule"), Is.EqualTo("relationship-exists"));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task DeleteRelationship_WhenAlive_EndsItSoItIsNoLongerListedButKeepsTheRow()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var app = await g.CiAsync("application-component", "app");
        var link = await g.LinkAsync(shop, "depends-on", app);
        var before = await CmdbCounts.OfAsync(App);

        var deleted = await SendAsync(HttpMethod.Delete, $"/api/v1/relationships/{link}?reason=Moved");

        Assert.That(deleted.Status, Is.EqualTo(200), deleted.ToString());
        Assert.That(deleted.Json.GetProperty("deletedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That((await GetOkAsync($"/api/v1/cis/{shop}/relationships")).GetArrayLength(), Is.Zero);
        Assert.That((await GetOkAsync($"/api/v1/cis/{app}/relationships")).GetArrayLength(), Is.Zero);
        Assert.That((await GetOkAsync($"/api/v1/cis/{shop}/graph")).GetProperty("edges").GetArrayLength(), Is.Zero);
        var after = await CmdbCounts.OfAsync(App);
        Assert.That((after.Relationships, after.LiveRelationships, after.Changesets), Is.EqualTo((before.Relationships, before.LiveRelationships - 1, before.Changesets + 1)),
            "soft: the row stays, closed, in a changeset of its own");
        var again = await SendAsync(HttpMethod.Delete, $"/api/v1/relationships/{link}");
        Assert.That(again.Status, Is.EqualTo(409), again.ToString());
        Assert.That(again.Json.Text("rule"), Is.EqualTo("relationship-deleted"));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(after));
        Assert.That((await SendAsync(HttpMethod.Post, "/api/v1/relationships", Json(new { sourceId = shop, type = "depends-on", targetId = app }))).Status, Is.EqualTo(201),
            "the pair may be related again");
    }

    // ---- Graph -------------------------------------------------------------------------------------------------------

    private async Task<(HashSet<long> Nodes, HashSet<(long, string, long)> Edges, bool Truncated)> GraphAsync(long id, string query = "")
    {
        var graph = await GetOkAsync($"/api/v1/cis/{id}/graph{query}");
        Assert.That(graph.GetProperty("center").GetInt64(), Is.EqualTo(id));
        return (graph.GetProperty("nodes").EnumerateArray().Select(n => n.Id()).ToHashSet(),
            graph.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("source").GetInt64(), e.Text("type"), e.GetProperty("target").GetInt64())).ToHashSet(),
            graph.GetProperty("truncated").GetBoolean());
    }

    [Test]
    public async Task GetCiGraph_ByDepth_ReturnsTheRingsAroundTheCiWithTheirEdges()
    {
        var e = await EstateAsync();

        var one = await GraphAsync(e.Vm);
        var two = await GraphAsync(e.Vm, "?depth=2");

        Assert.That(one.Nodes, Is.EquivalentTo(new[] { e.Vm, e.Cart, e.Cluster }));
        Assert.That(one.Edges, Is.EquivalentTo(new[] { (e.Cart, "runs-on", e.Vm), (e.Vm, "runs-on", e.Cluster) }));
        Assert.That(one.Truncated, Is.False);
        Assert.That(two.Nodes, Is.EquivalentTo(new[] { e.Vm, e.Cart, e.Cluster, e.Shop, e.Db, e.H1, e.H2, e.H3 }));
        Assert.That(two.Edges, Has.Count.EqualTo(7), "4 among vm, cart, cluster, shop and db, and the 3 members");
        Assert.That(two.Edges, Does.Contain((e.H2, "member-of", e.Cluster)).And.Contain((e.Cart, "depends-on", e.Db)));
    }

    [Test]
    public async Task GetCiGraph_ByDirection_FollowsOnlyOutgoingOrIncomingRelationships()
    {
        var e = await EstateAsync();

        var outgoing = await GraphAsync(e.Vm, "?depth=3&direction=out");
        var incoming = await GraphAsync(e.Vm, "?depth=3&direction=in");
        var cartOut = await GraphAsync(e.Cart, "?depth=2&direction=outgoing");

        Assert.That(outgoing.Nodes, Is.EquivalentTo(new[] { e.Vm, e.Cluster }));
        Assert.That(incoming.Nodes, Is.EquivalentTo(new[] { e.Vm, e.Cart, e.Shop }), "not the database cart depends on");
        Assert.That(cartOut.Nodes, Is.EquivalentTo(new[] { e.Cart, e.Vm, e.Db, e.Cluster }));
    }

    [Test]
    public async Task GetCiGraph_ByTypesClassesAndLimit_FiltersTheWalkButNeverTheCentre()
    {
        var e = await EstateAsync();

        var members = await GraphAsync(e.Cluster, "?types=member-of");
        var vms = await GraphAsync(e.Cluster, "?classes=virtual-machine");
        var servers = await GraphAsync(e.Cluster, "?classes=server");
        var capped = await GraphAsync(e.Cluster, "?limit=2");
        var typed = await GraphAsync(e.Cart, "?depth=3&types=runs-on,depends-on");

        Assert.That(members.Nodes, Is.EquivalentTo(new[] { e.Cluster, e.H1, e.H2, e.H3 }));
        Assert.That(members.Edges.Select(x => x.Item2), Is.All.EqualTo("member-of"));
        Assert.That(vms.Nodes, Is.EquivalentTo(new[] { e.Cluster, e.Vm }));
        Assert.That(servers.Nodes, Is.EquivalentTo(new[] { e.Cluster, e.Vm, e.H1, e.H2, e.H3 }), "a class includes its subclasses");
        Assert.That(capped.Nodes, Has.Count.EqualTo(2).And.Contain(e.Cluster));
        Assert.That(capped.Truncated, Is.True);
        Assert.That(typed.Nodes, Is.EquivalentTo(new[] { e.Cart, e.Shop, e.Vm, e.Db, e.Cluster }), "no member-of, so no hosts");
    }

    // ---- Impact and dependencies -------------------------------------------------------------------------------------

    private static (string Name, int Depth, IReadOnlyList<string> Path) Item(JsonElement item) =>
        (item.GetProperty("ci").Text("name"), item.GetProperty("depth").GetInt32(), item.GetProperty("path").Names());

    [Test]
    public async Task GetCiImpact_OfOneHostOfAClusterThatNeedsTwoUp_ImpactsNothing()
    {
        var e = await EstateAsync();

        var impact = await GetOkAsync($"/api/v1/cis/{e.H1}/impact");

        Assert.That(impact.GetProperty("start").EnumerateArray().Select(c => c.Text("name")), Is.EqualTo(new[] { e.G.Name("esx-1") }));
        Assert.That(impact.GetProperty("totalImpacted").GetInt32(), Is.Zero, "one host of three down: the cluster still has two");
        Assert.That(impact.GetProperty("services").GetArrayLength(), Is.Zero);
        Assert.That(impact.GetProperty("impacted").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task AnalyseImpact_OfTwoHostsOfAClusterThatNeedsTwoUp_ReachesTheServiceWithItsPath()
    {
        var e = await EstateAsync();

        var impact = (await SendAsync(HttpMethod.Post, "/api/v1/impact", Json(new { ciIds = new[] { e.H1, e.H2 }, depth = 10 }), user: "agent")).Json;

        Assert.That(impact.GetProperty("start").EnumerateArray().Select(c => c.Id()), Is.EquivalentTo(new[] { e.H1, e.H2 }));
        Assert.That(impact.GetProperty("totalImpacted").GetInt32(), Is.EqualTo(4));
        Assert.That(impact.GetProperty("depthLimited").GetBoolean(), Is.False);
        var service = Item(impact.GetProperty("services").EnumerateArray().Single());
        Assert.That(service.Name, Is.EqualTo(e.G.Name("shop")));
        Assert.That(service.Depth, Is.EqualTo(4));
        Assert.That(service.Path.Skip(1), Is.EqualTo(new[] { e.G.Name("esx-cluster"), e.G.Name("vm"), e.G.Name("cart"), e.G.Name("shop") }));
        Assert.That(service.Path[0], Is.AnyOf(e.G.Name("esx-1"), e.G.Name("esx-2")));
        var phrases = impact.GetProperty("services")[0].GetProperty("path").EnumerateArray().Skip(1).Select(p => p.Text("phrase"));
        Assert.That(phrases, Is.EqualTo(new[] { "member of", "hosts", "hosts", "used by" }));
        var impacted = impact.GetProperty("impacted").EnumerateArray().ToDictionary(i => i.GetProperty("ci").Id());
        Assert.That(impacted.Keys, Is.EquivalentTo(new[] { e.Cluster, e.Vm, e.Cart, e.Shop }), "not the database, not the third host");
        Assert.That(impacted[e.Cluster].TextOrNull("redundancy"), Is.EqualTo("2 of 3 members impacted (needs 2)"));
    }

    [Test]
    public async Task AnalyseImpact_WithMostCriticalServices_ListsThoseFirst_AndCountsThemAll()
    {
        var g = new CmdbTestGraph(App, Marker());
        var db = await g.CiAsync("database", "shared-db", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" } });
        var services = new Dictionary<string, long>();
        foreach (var (name, criticality) in new[] { ("minor", 4), ("core", 1), ("normal", 3), ("key", 2) })
        {
            services[name] = await g.CiAsync("business-service", name, new Dictionary<string, object?> { ["criticality"] = criticality });
            await g.LinkAsync(services[name], "depends-on", db);
        }

        var all = (await SendAsync(HttpMethod.Post, "/api/v1/impact", Json(new { ciIds = new[] { db } }), user: "agent")).Json;
        var top = (await SendAsync(HttpMethod.Post, "/api/v1/impact", Json(new { ciIds = new[] { db }, mostCriticalServices = 2 }), user: "agent")).Json;

        Assert.That(all.GetProperty("services").Names(), Is.EquivalentTo(new[] { "minor", "core", "normal", "key" }.Select(g.Name)));
        Assert.That(all.GetProperty("totalServices").GetInt32(), Is.EqualTo(4));
        Assert.That(top.GetProperty("services").Names(), Is.EqualTo(new[] { g.Name("core"), g.Name("key") }), "criticality 1, then 2");
        Assert.That(top.GetProperty("totalServices").GetInt32(), Is.EqualTo(4), "the total counts the services not listed");
        Assert.That(top.GetProperty("services")[1].GetProperty("path").Names(), Is.EqualTo(new[] { g.Name("shared-db"), g.Name("key") }));
    }

    [Test]
    public async Task AnalyseImpact_WithASmallDepth_StopsThereAndSaysSo()
    {
        var e = await EstateAsync();

        var impact = (await SendAsync(HttpMethod.Post, "/api/v1/impact", Json(new { ciIds = new[] { e.H1, e.H2 }, depth = 2 }), user: "agent")).Json;

        Assert.That(impact.GetProperty("depth").GetInt32(), Is.EqualTo(2));
        Assert.That(impact.GetProperty("impacted").EnumerateArray().Select(i => i.GetProperty("ci").Id()), Is.EquivalentTo(new[] { e.Cluster, e.Vm }));
        Assert.That(impact.GetProperty("services").GetArrayLength(), Is.Zero);
        Assert.That(impact.GetProperty("depthLimited").GetBoolean(), Is.True);
    }

    [Test]
    public async Task GetCiImpact_WhenTheClusterNeedsAllItsHosts_OneHostImpactsTheService()
    {
        var e = await EstateAsync(redundancy: "100%");

        var impact = await GetOkAsync($"/api/v1/cis/{e.H3}/impact?depth=4");

        Assert.That(impact.GetProperty("services").Names(), Is.EqualTo(new[] { e.G.Name("shop") }));
        var cluster = impact.GetProperty("impacted").EnumerateArray().Single(i => i.GetProperty("ci").Id() == e.Cluster);
        Assert.That(cluster.TextOrNull("redundancy"), Is.EqualTo("1 of 3 members impacted (100%)"));
        var stricter = await SendAsync(HttpMethod.Patch, $"/api/v1/cis/{e.Cluster}", Json(new { redundancy = "" }));
        Assert.That(stricter.Json.TextOrNull("redundancy"), Is.Null, "an empty rule clears it");
    }

    [Test]
    public async Task GetCiImpact_OfADatabase_ReachesTheServiceThroughTheComponent()
    {
        var e = await EstateAsync();

        var impact = await GetOkAsync($"/api/v1/cis/{e.Db}/impact");

        var service = Item(impact.GetProperty("services").EnumerateArray().Single());
        Assert.That(service.Path, Is.EqualTo(new[] { e.G.Name("cart-db"), e.G.Name("cart"), e.G.Name("shop") }));
        Assert.That(impact.GetProperty("services")[0].GetProperty("path").EnumerateArray().Skip(1).Select(p => p.Text("phrase")), Is.EqualTo(new[] { "used by", "used by" }));
        Assert.That(impact.GetProperty("totalImpacted").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task GetCiDependencies_OfAService_ListsEverythingItDependsOnNearestFirstWithPaths()
    {
        var e = await EstateAsync();

        var deps = await GetOkAsync($"/api/v1/cis/{e.Shop}/dependencies");

        var items = deps.GetProperty("impacted").EnumerateArray().Select(Item).ToList();
        Assert.That(items.Select(i => i.Name), Is.EquivalentTo(new[] { "cart", "cart-db", "vm", "esx-cluster", "esx-1", "esx-2", "esx-3" }.Select(e.G.Name)),
            "without redundancy: every host is a candidate");
        Assert.That(items.Select(i => i.Depth), Is.Ordered, "nearest first");
        var host = items.Single(i => i.Name == e.G.Name("esx-2"));
        Assert.That(host.Depth, Is.EqualTo(4));
        Assert.That(host.Path, Is.EqualTo(new[] { "shop", "cart", "vm", "esx-cluster", "esx-2" }.Select(e.G.Name)));
        var limited = await GetOkAsync($"/api/v1/cis/{e.Shop}/dependencies?depth=2");
        Assert.That(limited.GetProperty("impacted").EnumerateArray().Select(i => i.GetProperty("ci").Id()), Is.EquivalentTo(new[] { e.Cart, e.Vm, e.Db }));
    }

    // ---- The past: asOf, diff, changesets -------------------------------------------------------------------------------

    [Test]
    public async Task GetCi_AsOfBeforeAnUpdateAndALink_ReturnsTheOldValuesAndRelationships()
    {
        var g = new CmdbTestGraph(App, Marker());
        var app = await g.CiAsync("application-component", "app", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["version"] = "1.0" } });
        var vm = await g.CiAsync("virtual-machine", "vm");
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var then = App.Clock.UtcNow;
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{app}", new { name = g.Name("app-renamed"), criticality = 1, attributes = new { version = "2.0" } }), HttpStatusCode.OK);
        await g.LinkAsync(app, "runs-on", vm);
        App.Clock.Advance(TimeSpan.FromMinutes(1));

        var past = await App.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cis/{app}?asOf={CmdbApi.Q(then)}", null);
        var now = await GetOkAsync($"/api/v1/cis/{app}");
        var pastLinks = await GetOkAsync($"/api/v1/cis/{app}/relationships?asOf={CmdbApi.Q(then)}");
        var pastGraph = await GraphAsync(app, $"?asOf={CmdbApi.Q(then)}");
        var beforeItExisted = await App.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cis/{app}?asOf={CmdbApi.Q(then.AddHours(-1))}", null);

        Assert.That(past.Status, Is.EqualTo(200), past.ToString());
        var old = past.Json;
        Assert.That((old.Text("name"), old.GetProperty("criticality").GetInt32(), old.Attribute("version"), old.GetProperty("version").GetInt32()),
            Is.EqualTo((g.Name("app"), 3, (string?)"1.0", 1)));
        Assert.That(old.GetProperty("asOf").ValueKind, Is.EqualTo(JsonValueKind.String));
        Assert.That(past.Response.Headers.ETag, Is.Null, "the past is not something to send If-Match with");
        Assert.That((now.Text("name"), now.GetProperty("criticality").GetInt32(), now.Attribute("version")), Is.EqualTo((g.Name("app-renamed"), 1, (string?)"2.0")));
        Assert.That(pastLinks.GetArrayLength(), Is.Zero);
        Assert.That((await GetOkAsync($"/api/v1/cis/{app}/relationships")).GetArrayLength(), Is.EqualTo(1));
        Assert.That(pastGraph.Nodes, Is.EqualTo(new[] { app }));
        Assert.That(beforeItExisted.Status, Is.EqualTo(404), beforeItExisted.ToString());
    }

    [Test]
    public async Task ListCiRelationships_AsOfBeforeADelete_StillListsTheRelationship()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var app = await g.CiAsync("application-component", "app");
        var link = await g.LinkAsync(shop, "depends-on", app);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var then = App.Clock.UtcNow;
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await g.UnlinkAsync(link);

        var past = await GetOkAsync($"/api/v1/cis/{shop}/relationships?asOf={CmdbApi.Q(then)}");
        var impactThen = await GetOkAsync($"/api/v1/cis/{app}/impact?asOf={CmdbApi.Q(then)}");
        var impactNow = await GetOkAsync($"/api/v1/cis/{app}/impact");

        Assert.That(past.EnumerateArray().Select(r => r.Id()), Is.EqualTo(new[] { link }));
        Assert.That(impactThen.GetProperty("services").Names(), Is.EqualTo(new[] { g.Name("shop") }));
        Assert.That(impactNow.GetProperty("services").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task DiffCmdb_PathToAService_ListsWhatChangedOnItsPathOnly()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop");
        var app = await g.CiAsync("application-component", "app", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["version"] = "1.0" } });
        var db = await g.CiAsync("database", "db", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" } });
        var elsewhere = await g.CiAsync("application-component", "elsewhere");
        await g.LinkAsync(shop, "depends-on", app);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        var from = App.Clock.UtcNow;
        var changeNumber = await RaiseChangeAsync();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{app}", new { attributes = new { version = "2.0" }, changeNumber }), HttpStatusCode.OK);
        var added = await g.LinkAsync(app, "depends-on", db);
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{elsewhere}", new { criticality = 1 }), HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(1));

        var diff = await GetOkAsync($"/api/v1/cmdb/diff?from={CmdbApi.Q(from)}&pathTo={shop}");
        var sets = await GetOkAsync($"/api/v1/cmdb/changesets?from={CmdbApi.Q(from)}&pathTo={shop}");
        var all = await GetOkAsync($"/api/v1/cmdb/diff?from={CmdbApi.Q(from)}");

        var cis = diff.GetProperty("cis").EnumerateArray().ToList();
        Assert.That(cis.Select(c => c.GetProperty("ci").Id()), Is.EqualTo(new[] { app }), "not the CI off the path");
        Assert.That(cis[0].GetProperty("created").GetBoolean(), Is.False);
        var field = cis[0].GetProperty("fields").EnumerateArray().Single();
        Assert.That((field.Text("field"), field.TextOrNull("before"), field.TextOrNull("after")), Is.EqualTo(("attr:version", (string?)"1.0", (string?)"2.0")));
        var rel = diff.GetProperty("relationships").EnumerateArray().Single();
        Assert.That((rel.Id(), rel.Text("type"), rel.GetProperty("sourceId").GetInt64(), rel.GetProperty("targetId").GetInt64(), rel.GetProperty("added").GetBoolean()),
            Is.EqualTo((added, "depends-on", app, db, true)));
        Assert.That(diff.GetProperty("changesets").GetInt32(), Is.EqualTo(2));
        Assert.That(sets.GetProperty("total").GetInt32(), Is.EqualTo(2));
        Assert.That(sets.GetProperty("items").EnumerateArray().Select(s => s.TextOrNull("changeNumber")), Is.EqualTo(new[] { null, changeNumber }), "newest first");
        var link = sets.GetProperty("items")[0].GetProperty("entries").EnumerateArray().Single(e => e.Text("kind") == "relationship-created");
        Assert.That((link.Text("ciName"), link.Text("relationshipName"), link.Text("otherCiName")), Is.EqualTo((g.Name("app"), "depends on", g.Name("db"))),
            "a relationship entry names both ends and the type as people read it");
        Assert.That(all.GetProperty("cis").EnumerateArray().Select(c => c.GetProperty("ci").Id()), Is.EquivalentTo(new[] { app, elsewhere }));
    }

    [Test]
    public async Task ListCmdbChangesets_ForOneCi_ListsItsChangesetsWithWhoWhyAndTheChange()
    {
        var g = new CmdbTestGraph(App, Marker());
        var app = await g.CiAsync("application-component", "app");
        var other = await g.CiAsync("application-component", "other");
        var changeNumber = await RaiseChangeAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{app}", new { criticality = 2, reason = "Now customer facing", changeNumber = changeNumber.ToLowerInvariant() }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{other}", new { criticality = 2 }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("admin").PostAsync($"/api/v1/cis/{app}/retire?reason=Replaced", null), HttpStatusCode.OK);

        var sets = await GetOkAsync($"/api/v1/cmdb/changesets?ciId={app}");

        var items = sets.GetProperty("items").EnumerateArray().ToList();
        Assert.That(sets.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(items.Select(s => s.Text("actor")), Is.EqualTo(new[] { "Alice Admin", "Erik Engineer", "Erik Engineer" }), "newest first, by display name");
        Assert.That(items.Select(s => s.TextOrNull("reason")), Is.EqualTo(new[] { "Replaced", "Now customer facing", null }));
        Assert.That(items.Select(s => s.TextOrNull("changeNumber")), Is.EqualTo(new[] { null, changeNumber, null }));
        var change = items[1].GetProperty("entries").EnumerateArray().Single();
        Assert.That((change.Text("kind"), change.Text("field"), change.TextOrNull("oldValue"), change.TextOrNull("newValue")), Is.EqualTo(("ci-updated", "criticality", (string?)"3", (string?)"2")));
        Assert.That(items[2].GetProperty("entries")[0].Text("kind"), Is.EqualTo("ci-created"));
        Assert.That(items.SelectMany(s => s.GetProperty("entries").EnumerateArray()).Select(x => x.GetProperty("ciId").GetInt64()), Is.All.EqualTo(app));
    }

    // ---- Bad input ---------------------------------------------------------------------------------------------------

    private sealed record Probe(string Method, string Path, string? Body, int Status, string? Field, string? IfMatch = null, string? Key = null, string ContentType = "application/json");

    private static readonly string Long256 = new('n', 256);
    private static readonly string Long1001 = new('r', 1001);

    /// <summary>{ci}: a VM; {cmp}: a component; {svc}: a service; {rel}: a live relationship; {gone}: a deleted one.</summary>
    private static readonly Probe[] Probes =
    [
        // GET /cis
        new("GET", "/api/v1/cis?colour=red", null, 400, "colour"),
        new("GET", "/api/v1/cis?page=abc", null, 400, "page"),
        new("GET", "/api/v1/cis?page=0", null, 400, "page"),
        new("GET", "/api/v1/cis?pageSize=201", null, 400, "pageSize"),
        new("GET", "/api/v1/cis?pageSize=-1", null, 400, "pageSize"),
        new("GET", "/api/v1/cis?class=spaceship", null, 400, "class"),
        new("GET", "/api/v1/cis?class=server&class=database", null, 400, "class"),
        new("GET", "/api/v1/cis?status=Broken", null, 400, "status"),
        new("GET", "/api/v1/cis?attribute=hostname", null, 400, "attribute"),
        new("GET", $"/api/v1/cis?name={Long256}", null, 400, "name"),
        new("GET", $"/api/v1/cis?name={Long1001}", null, 400, "name"),
        // GET /cis/{id}
        new("GET", "/api/v1/cis/{ci}?asOf=yesterday", null, 400, "asOf"),
        new("GET", "/api/v1/cis/{ci}?depth=1", null, 400, "depth"),
        new("GET", "/api/v1/cis/abc", null, 404, null),
        new("GET", "/api/v1/cis/0", null, 404, null),
        new("GET", "/api/v1/cis/-7", null, 404, null),
        new("GET", "/api/v1/cis/99999999999999999999", null, 404, null),
        new("GET", "/api/v1/cis/987654321", null, 404, null),
        // POST /cis
        new("POST", "/api/v1/cis", """{"class":"spaceship","name":"x"}""", 400, "class"),
        new("POST", "/api/v1/cis", """{"class":"configuration-item","name":"x"}""", 400, "class"),
        new("POST", "/api/v1/cis", $$"""{"class":"{{new string('c', 61)}}","name":"x"}""", 400, "class"),
        new("POST", "/api/v1/cis", """{"class":"business-service"}""", 400, "name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"   "}""", 400, "name"),
        new("POST", "/api/v1/cis", $$"""{"class":"business-service","name":"{{Long256}}"}""", 400, "name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"bell\u0007"}""", 400, "name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":42}""", 400, "name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","criticality":"high"}""", 400, "criticality"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","criticality":5}""", 400, "criticality"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","criticality":2.5}""", 400, "criticality"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","restricted":"yes"}""", 400, "restricted"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","colour":"red"}""", 400, "colour"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","Name":"y"}""", 400, "Name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","name":"y"}""", 400, "name"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","status":"Broken"}""", 400, "status"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","environment":"Moon"}""", 400, "environment"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","ownerGroup":"Nobody At All"}""", 400, "ownerGroup"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","supportGroup":"00000000-0000-0000-0000-000000000001"}""", 400, "supportGroup"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","redundancy":"needs 2"}""", 400, "redundancy"),
        new("POST", "/api/v1/cis", """{"class":"cluster","name":"probe-x","redundancy":"lots"}""", 400, "redundancy"),
        new("POST", "/api/v1/cis", """{"class":"cluster","name":"probe-x","redundancy":"150%"}""", 400, "redundancy"),
        new("POST", "/api/v1/cis", """{"class":"cluster","name":"probe-x","redundancy":"needs 0"}""", 400, "redundancy"),
        new("POST", "/api/v1/cis", """{"class":"cluster","name":"probe-x","redundancy":2}""", 400, "redundancy"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","attributes":{"colour":"red"}}""", 400, "attributes.colour"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","attributes":{"service-hours":"sometimes"}}""", 400, "attributes.service-hours"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","attributes":"24x7"}""", 400, "attributes"),
        new("POST", "/api/v1/cis", """{"class":"virtual-machine","name":"probe-x"}""", 400, "attributes.hostname"),
        new("POST", "/api/v1/cis", """{"class":"virtual-machine","name":"probe-x","attributes":{"hostname":"probe-x","cpu-count":4}}""", 400, "attributes.cpu-count"),
        new("POST", "/api/v1/cis", """{"class":"virtual-machine","name":"probe-x","attributes":{"hostname":"probe-x","cpu-count":"four"}}""", 400, "attributes.cpu-count"),
        new("POST", "/api/v1/cis", $$$"""{"class":"business-service","name":"probe-x","attributes":{"description":"{{{new string('d', 8001)}}}"}}""", 400, "attributes.description"),
        new("POST", "/api/v1/cis", $$"""{"class":"business-service","name":"probe-x","reason":"{{Long1001}}"}""", 400, "reason"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x","changeNumber":"CHG000000000000000001"}""", 400, "changeNumber"),
        new("POST", "/api/v1/cis", """[{"class":"business-service","name":"probe-x"}]""", 400, "body"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":""", 400, "body"),
        new("POST", "/api/v1/cis", "", 400, "body"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x"}""", 415, null, ContentType: "text/plain"),
        new("POST", "/api/v1/cis", """{"class":"business-service","name":"probe-x"}""", 400, "Idempotency-Key", Key: new string('k', 201)),
        // PATCH /cis/{id}
        new("PATCH", "/api/v1/cis/{ci}", """{"criticality":0}""", 400, "criticality"),
        new("PATCH", "/api/v1/cis/{ci}", """{"name":""}""", 400, "name"),
        new("PATCH", "/api/v1/cis/{ci}", """{"name":null,"colour":"red"}""", 400, "colour"),
        new("PATCH", "/api/v1/cis/{ci}", """{"class":"database"}""", 400, "class"),
        new("PATCH", "/api/v1/cis/{ci}", """{"status":"Broken"}""", 400, "status"),
        new("PATCH", "/api/v1/cis/{ci}", """{"attributes":{"hostname":""}}""", 400, "attributes.hostname"),
        new("PATCH", "/api/v1/cis/{ci}", """{"attributes":{"memory-gb":"lots"}}""", 400, "attributes.memory-gb"),
        new("PATCH", "/api/v1/cis/{ci}", """{"redundancy":"needs 2"}""", 400, "redundancy"),
        new("PATCH", "/api/v1/cis/{ci}", """{"restricted":1}""", 400, "restricted"),
        new("PATCH", "/api/v1/cis/{ci}", """{"criticality":1}""", 400, "If-Match", IfMatch: "version-one"),
        new("PATCH", "/api/v1/cis/{ci}", """{"criticality":1}""", 412, null, IfMatch: "\"99\""),
        new("PATCH", "/api/v1/cis/987654321", """{"criticality":1}""", 404, null),
        new("PATCH", "/api/v1/cis/abc", """{"criticality":1}""", 404, null),
        // POST /cis/{id}/retire
        new("POST", "/api/v1/cis/{ci}/retire?force=true", null, 400, "force"),
        new("POST", "/api/v1/cis/{ci}/retire?reason=" + Long1001, null, 400, "reason"),
        new("POST", "/api/v1/cis/{ci}/retire", null, 400, "If-Match", IfMatch: "soon"),
        new("POST", "/api/v1/cis/{ci}/retire", null, 412, null, IfMatch: "\"99\""),
        new("POST", "/api/v1/cis/987654321/retire", null, 404, null),
        // GET /cis/{id}/relationships
        new("GET", "/api/v1/cis/{ci}/relationships?asOf=never", null, 400, "asOf"),
        new("GET", "/api/v1/cis/{ci}/relationships?type=runs-on", null, 400, "type"),
        new("GET", "/api/v1/cis/987654321/relationships", null, 404, null),
        // GET /cis/{id}/graph
        new("GET", "/api/v1/cis/{ci}/graph?depth=0", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/graph?depth=6", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/graph?depth=two", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/graph?direction=sideways", null, 400, "direction"),
        new("GET", "/api/v1/cis/{ci}/graph?types=loves", null, 400, "types"),
        new("GET", "/api/v1/cis/{ci}/graph?classes=spaceship", null, 400, "classes"),
        new("GET", "/api/v1/cis/{ci}/graph?statuses=Broken", null, 400, "statuses"),
        new("GET", "/api/v1/cis/{ci}/graph?limit=0", null, 400, "limit"),
        new("GET", "/api/v1/cis/{ci}/graph?limit=1001", null, 400, "limit"),
        new("GET", "/api/v1/cis/{ci}/graph?asOf=2026-13-45", null, 400, "asOf"),
        new("GET", "/api/v1/cis/{ci}/graph?hops=2", null, 400, "hops"),
        new("GET", "/api/v1/cis/987654321/graph", null, 404, null),
        // GET /cis/{id}/impact and /dependencies
        new("GET", "/api/v1/cis/{ci}/impact?depth=0", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/impact?depth=51", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/impact?page=0", null, 400, "page"),
        new("GET", "/api/v1/cis/{ci}/impact?pageSize=1001", null, 400, "pageSize"),
        new("GET", "/api/v1/cis/{ci}/impact?asOf=later", null, 400, "asOf"),
        new("GET", "/api/v1/cis/{ci}/impact?direction=in", null, 400, "direction"),
        new("GET", "/api/v1/cis/987654321/impact", null, 404, null),
        new("GET", "/api/v1/cis/{ci}/dependencies?depth=-1", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/dependencies?depth=51", null, 400, "depth"),
        new("GET", "/api/v1/cis/{ci}/dependencies?asOf=later", null, 400, "asOf"),
        new("GET", "/api/v1/cis/{ci}/dependencies?ciIds=1", null, 400, "ciIds"),
        new("GET", "/api/v1/cis/987654321/dependencies", null, 404, null),
        // POST /impact
        new("POST", "/api/v1/impact", "{}", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":[]}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":"{ci}"}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":["{ci}"]}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":[0]}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":[987654321]}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", $$"""{"ciIds":[{{string.Join(",", Enumerable.Range(1, 1001))}}]}""", 400, "ciIds"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"mostCriticalServices":0}""", 400, "mostCriticalServices"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"mostCriticalServices":1001}""", 400, "mostCriticalServices"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"depth":0}""", 400, "depth"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"depth":51}""", 400, "depth"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"depth":"3"}""", 400, "depth"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"asOf":"the day before"}""", 400, "asOf"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"asOf":20260101}""", 400, "asOf"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"pageSize":0}""", 400, "pageSize"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"page":0}""", 400, "page"),
        new("POST", "/api/v1/impact", """{"ciIds":[{ci}],"direction":"in"}""", 400, "direction"),
        // POST /relationships
        new("POST", "/api/v1/relationships", """{"sourceId":{cmp},"type":"loves","targetId":{ci}}""", 400, "type"),
        new("POST", "/api/v1/relationships", $$$"""{"sourceId":{cmp},"type":"{{{new string('t', 61)}}}","targetId":{ci}}""", 400, "type"),
        new("POST", "/api/v1/relationships", """{"sourceId":"{cmp}","type":"runs-on","targetId":{ci}}""", 400, "sourceId"),
        new("POST", "/api/v1/relationships", """{"sourceId":{cmp},"type":"runs-on"}""", 400, "targetId"),
        new("POST", "/api/v1/relationships", """{"sourceId":0,"type":"runs-on","targetId":{ci}}""", 400, "sourceId"),
        new("POST", "/api/v1/relationships", """{"sourceId":-3,"type":"runs-on","targetId":{ci}}""", 400, "sourceId"),
        new("POST", "/api/v1/relationships", """{"sourceId":987654321,"type":"runs-on","targetId":{ci}}""", 400, "sourceId"),
        new("POST", "/api/v1/relationships", """{"sourceId":{cmp},"type":"runs-on","targetId":987654321}""", 400, "targetId"),
        new("POST", "/api/v1/relationships", """{"sourceId":{cmp},"type":"runs-on","targetId":{ci},"weight":3}""", 400, "weight"),
        new("POST", "/api/v1/relationships", """{"sourceId":{cmp},"type":["runs-on"],"targetId":{ci}}""", 400, "type"),
        new("POST", "/api/v1/relationships", """{"sourceId":{ci},"type":"runs-on","targetId":{ci}}""", 409, null),
        new("POST", "/api/v1/relationships", """{"sourceId":{svc},"type":"runs-on","targetId":{ci}}""", 409, null),
        new("POST", "/api/v1/relationships", """{"sourceId":{svc},"type":"depends-on","targetId":{cmp}}""", 409, null),
        // DELETE /relationships/{id}
        new("DELETE", "/api/v1/relationships/{rel}?cascade=true", null, 400, "cascade"),
        new("DELETE", "/api/v1/relationships/{rel}?reason=" + Long1001, null, 400, "reason"),
        new("DELETE", "/api/v1/relationships/987654321", null, 404, null),
        new("DELETE", "/api/v1/relationships/abc", null, 404, null),
        new("DELETE", "/api/v1/relationships/{gone}", null, 409, null),
        // GET /cmdb/changesets
        new("GET", "/api/v1/cmdb/changesets?from=nope", null, 400, "from"),
        new("GET", "/api/v1/cmdb/changesets?to=nope", null, 400, "to"),
        new("GET", "/api/v1/cmdb/changesets?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, 400, "from"),
        new("GET", "/api/v1/cmdb/changesets?ciId=abc", null, 400, "ciId"),
        new("GET", "/api/v1/cmdb/changesets?ciId=0", null, 400, "ciId"),
        new("GET", "/api/v1/cmdb/changesets?ciId={ci}&pathTo={svc}", null, 400, "pathTo"),
        new("GET", "/api/v1/cmdb/changesets?pathTo=-1", null, 400, "pathTo"),
        new("GET", "/api/v1/cmdb/changesets?page=0", null, 400, "page"),
        new("GET", "/api/v1/cmdb/changesets?pageSize=201", null, 400, "pageSize"),
        new("GET", "/api/v1/cmdb/changesets?actor=engineer", null, 400, "actor"),
        new("GET", "/api/v1/cmdb/changesets?ciId=987654321", null, 404, null),
        // GET /cmdb/diff
        new("GET", "/api/v1/cmdb/diff", null, 400, "from"),
        new("GET", "/api/v1/cmdb/diff?from=nope", null, 400, "from"),
        new("GET", "/api/v1/cmdb/diff?from=2026-01-01T00:00:00Z&to=nope", null, 400, "to"),
        new("GET", "/api/v1/cmdb/diff?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", null, 400, "from"),
        new("GET", "/api/v1/cmdb/diff?from=2026-01-01T00:00:00Z&ciId={ci}&pathTo={svc}", null, 400, "pathTo"),
        new("GET", "/api/v1/cmdb/diff?from=2026-01-01T00:00:00Z&ciId=x", null, 400, "ciId"),
        new("GET", "/api/v1/cmdb/diff?from=2026-01-01T00:00:00Z&page=1", null, 400, "page"),
        new("GET", "/api/v1/cmdb/diff?from=2026-01-01T00:00:00Z&pathTo=987654321", null, 404, null),
        // GET /cmdb/classes
        new("GET", "/api/v1/cmdb/classes?class=server", null, 400, "class"),
    ];

    public static IEnumerable<TestCaseData> BadRequests() =>
        Probes.Select(p => new TestCaseData(p.Method, p.Path, p.Body, p.Status, p.Field, p.IfMatch, p.Key, p.ContentType)
            .SetArgDisplayNames($"{p.Method} {(p.Path.Length > 70 ? p.Path[..70] + "…" : p.Path)}{(p.Body is null ? "" : " " + (p.Body.Length > 60 ? p.Body[..60] + "…" : p.Body))}{(p.IfMatch is null ? "" : " If-Match " + p.IfMatch)}{(p.Key is null ? "" : " long Idempotency-Key")} {p.ContentType}"));

    private Dictionary<string, string>? _probeIds;

    private async Task<Dictionary<string, string>> ProbeTargetsAsync()
    {
        if (_probeIds is not null) return _probeIds;
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "probe-vm");
        var cmp = await g.CiAsync("application-component", "probe-cmp");
        var svc = await g.CiAsync("business-service", "probe-svc");
        var rel = await g.LinkAsync(cmp, "runs-on", vm);
        var gone = await g.LinkAsync(svc, "depends-on", cmp);
        await g.UnlinkAsync(gone);
        var again = await g.LinkAsync(svc, "depends-on", cmp);
        Assert.That(again, Is.Not.EqualTo(gone));
        return _probeIds = new Dictionary<string, string> { ["{ci}"] = $"{vm}", ["{cmp}"] = $"{cmp}", ["{svc}"] = $"{svc}", ["{rel}"] = $"{rel}", ["{gone}"] = $"{gone}" };
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task CmdbEndpoint_WhenInputIsBad_RefusesWithAProblemNamingTheFieldAndChangesNothing(
        string method, string path, string? body, int status, string? field, string? ifMatch, string? key, string contentType)
    {
        var ids = await ProbeTargetsAsync();
        string Fill(string s) => ids.Aggregate(s, (text, id) => text.Replace(id.Key, id.Value));
        var ci = await GetOkAsync($"/api/v1/cis/{ids["{ci}"]}", "engineer");
        var before = await CmdbCounts.OfAsync(App);

        var reply = await SendAsync(new HttpMethod(method), Fill(path), body is null ? null : Fill(body), configure: r =>
        {
            if (ifMatch is not null) r.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            if (key is not null) r.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }, contentType: contentType);

        Assert.That(reply.Status, Is.EqualTo(status), reply.ToString());
        Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        if (field is not null) AssertNames(reply, field);
        if (status == 409) Assert.That(reply.Json.TryGetProperty("rule", out _), Is.True, $"a 409 names the rule: {reply}");
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before), "the CMDB is unchanged");
        Assert.That((await GetOkAsync($"/api/v1/cis/{ids["{ci}"]}", "engineer")).ToString(), Is.EqualTo(ci.ToString()));
    }
}
