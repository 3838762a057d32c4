using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// POST /api/v1/cmdb/import (docs/cmdb-import-format.md), JSON and CSV: a first import creates CIs and relationships in
/// one changeset, the same file again changes nothing; CIs are recognised by (source, key) and by their class's
/// identifiers; per-attribute source precedence; a rejected row is reported and leaves nothing behind while the others
/// import; only engineers and admins import.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CmdbImportApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private Task<Reply> PostAsync(string query, string body, string contentType = "application/json", string? user = "engineer") =>
        App.Api(user).SendAsync(HttpMethod.Post, "/api/v1/cmdb/import" + query, body, contentType);

    private async Task<JsonElement> ImportAsync(object document, string user = "engineer")
    {
        var reply = await PostAsync("", JsonSerializer.Serialize(document), user: user);
        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        return reply.Json;
    }

    private async Task<JsonElement> CiAsync(long id) =>
        await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync($"/api/v1/cis/{id}"), HttpStatusCode.OK);

    /// <summary>The CI a source imported under its key, or null.</summary>
    private Task<long?> IdOfAsync(string source, string key) =>
        App.WithDbAsync(db => db.ConfigurationItems.Where(c => c.Source == source && c.NativeKey == key).Select(c => (long?)c.Id).SingleOrDefaultAsync());

    private Task<int> CountNamedAsync(string name) => App.WithDbAsync(db => db.ConfigurationItems.CountAsync(c => c.Name == name));

    private static (int Created, int Updated, int Unchanged, int Rejected) Cis(JsonElement result) =>
        (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("unchanged").GetInt32(), result.GetProperty("rejected").GetInt32());

    private static (int Created, int Unchanged, int Rejected) Links(JsonElement result)
    {
        var r = result.GetProperty("relationships");
        return (r.GetProperty("created").GetInt32(), r.GetProperty("unchanged").GetInt32(), r.GetProperty("rejected").GetInt32());
    }

    private static Dictionary<string, object?> Vm(string key, string hostname, Dictionary<string, object>? attributes = null, string? name = null)
    {
        var attrs = (attributes ?? []).ToDictionary(a => a.Key, a => (object?)a.Value);
        attrs["hostname"] = hostname;
        return new Dictionary<string, object?> { ["key"] = key, ["class"] = "virtual-machine", ["name"] = name ?? hostname, ["attributes"] = attrs };
    }

    /// <summary>A service that depends on a component that runs on a VM that runs on a cluster that needs 2 of its hosts; one link to a CI already in the CMDB.</summary>
    private async Task<(object Document, string M, long Existing)> EstateDocumentAsync(string source)
    {
        var m = Marker();
        var storage = await new CmdbTestGraph(App, m).CiAsync("storage", "san");
        var document = new
        {
            source,
            reason = "Discovery run " + m,
            cis = new object[]
            {
                new { key = $"svc-{m}", @class = "business-service", name = $"Shop-{m}", criticality = 1, attributes = new Dictionary<string, object> { ["service-hours"] = "24x7" } },
                new { key = $"cmp-{m}", @class = "application-component", name = $"cart-{m}", attributes = new Dictionary<string, object> { ["port"] = 8443, ["version"] = "3.1" } },
                Vm($"vm-{m}", $"vm-{m}", new Dictionary<string, object> { ["cpu-count"] = 4, ["operating-system"] = "Linux" }),
                new { key = $"cl-{m}", @class = "cluster", name = $"cl-{m}", redundancy = "needs 2", environment = "Production", ownerGroup = "Server Operations" },
            },
            relationships = new object[]
            {
                new { source = $"svc-{m}", type = "depends-on", target = $"cmp-{m}" },
                new { source = $"cmp-{m}", type = "runs-on", target = $"vm-{m}" },
                new { source = $"vm-{m}", type = "runs-on", target = $"cl-{m}" },
                new { source = $"cl-{m}", type = "connects-to", target = $"#{storage}" },
            },
        };
        return (document, m, storage);
    }

    [Test]
    public async Task ImportCmdb_WhenTheCisAreNew_CreatesThemAndTheirRelationshipsInOneChangeset()
    {
        var source = "disc-" + Marker();
        var (document, m, storage) = await EstateDocumentAsync(source);
        var before = await CmdbCounts.OfAsync(App);

        var result = await ImportAsync(document);

        Assert.That(Cis(result), Is.EqualTo((4, 0, 0, 0)));
        Assert.That(Links(result), Is.EqualTo((4, 0, 0)));
        Assert.That(result.GetProperty("rejections").GetArrayLength(), Is.Zero);
        var after = await CmdbCounts.OfAsync(App);
        Assert.That((after.Cis, after.LiveRelationships, after.Changesets), Is.EqualTo((before.Cis + 4, before.LiveRelationships + 4, before.Changesets + 1)));
        var cluster = await CiAsync((await IdOfAsync(source, $"cl-{m}"))!.Value);
        Assert.That((cluster.Text("redundancy"), cluster.TextOrNull("environment"), cluster.TextOrNull("ownerGroup"), cluster.TextOrNull("source"), cluster.TextOrNull("nativeKey")),
            Is.EqualTo(("needs 2", (string?)"Production", (string?)"Server Operations", (string?)source, (string?)$"cl-{m}")));
        var vm = await CiAsync((await IdOfAsync(source, $"vm-{m}"))!.Value);
        Assert.That((vm.Attribute("cpu-count"), vm.Attribute("operating-system")), Is.EqualTo(("4", "Linux")), "numbers arrive as text");
        var links = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/cis/{cluster.Id()}/relationships"), HttpStatusCode.OK);
        Assert.That(links.EnumerateArray().Select(l => (l.Text("type"), l.GetProperty("other").Id())),
            Is.EquivalentTo(new[] { ("connects-to", storage), ("runs-on", vm.Id()) }));
        var sets = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/cmdb/changesets?ciId={cluster.Id()}"), HttpStatusCode.OK);
        var set = sets.GetProperty("items").EnumerateArray().Single();
        Assert.That((set.Id(), set.TextOrNull("source"), set.TextOrNull("reason"), set.Text("actor")),
            Is.EqualTo((result.GetProperty("changesetId").GetInt64(), (string?)source, (string?)$"Discovery run {m}", "Erik Engineer")));
    }

    [Test]
    public async Task ImportCmdb_WhenRowsHoldNonAsciiTextAndGroups_StoresThemAsEfWouldSoEfQueriesFindThem()
    {
        var source = "disc-" + Marker();
        var m = Marker();
        var name = $"Zürich–Łódź ☃ {m}";
        var vm = Vm($"vm-{m}", $"vm-{m}", new Dictionary<string, object> { ["operating-system"] = "Linux" }, name);
        vm["ownerGroup"] = "Server Operations";

        await ImportAsync(new { source, cis = new object[] { vm }, relationships = Array.Empty<object>() });

        var group = await App.WithDbAsync(db => db.AssignmentGroups.Where(g => g.Name == "Server Operations").Select(g => g.Id).SingleAsync());
        // Both filters go through EF's own parameters: the bulk writer's text must equal what EF writes, byte for byte.
        var found = await App.WithDbAsync(db => db.ConfigurationItems.CountAsync(c => c.Name == name && c.OwnerGroupId == group && c.Source == source));
        Assert.That(found, Is.EqualTo(1));
        var ci = await CiAsync((await IdOfAsync(source, $"vm-{m}"))!.Value);
        Assert.That((ci.Text("name"), ci.TextOrNull("ownerGroup")), Is.EqualTo((name, (string?)"Server Operations")));
    }

    [Test]
    public async Task ImportCmdb_WhenTheSameDocumentIsImportedAgain_ReportsEverythingUnchangedAndWritesNoChangeset()
    {
        var (document, _, _) = await EstateDocumentAsync("disc-" + Marker());
        await ImportAsync(document);
        var before = await CmdbCounts.OfAsync(App);

        var again = await ImportAsync(document);

        Assert.That(Cis(again), Is.EqualTo((0, 0, 4, 0)));
        Assert.That(Links(again), Is.EqualTo((0, 4, 0)));
        Assert.That(again.GetProperty("changesetId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task ImportCmdb_WhenTheSourceKeyIsKnown_UpdatesThatCiEvenWithNewIdentifiers()
    {
        var m = Marker();
        var source = "disc-" + m;
        await ImportAsync(new { source, cis = new[] { Vm($"k-{m}", $"old-{m}") } });
        var id = (await IdOfAsync(source, $"k-{m}"))!.Value;

        var renamed = await ImportAsync(new { source, cis = new[] { Vm($"k-{m}", $"new-{m}") } });

        Assert.That(Cis(renamed), Is.EqualTo((0, 1, 0, 0)));
        var ci = await CiAsync(id);
        Assert.That((ci.Text("name"), ci.Attribute("hostname")), Is.EqualTo(($"new-{m}", (string?)$"new-{m}")));
        Assert.That(await CountNamedAsync($"old-{m}") + await CountNamedAsync($"new-{m}"), Is.EqualTo(1), "one CI, not two");
    }

    [Test]
    public async Task ImportCmdb_WithoutAKnownKey_RecognisesTheCiByItsClassIdentifiers()
    {
        var g = new CmdbTestGraph(App, Marker());
        var id = await g.CiAsync("virtual-machine", "web");
        var serial = "SN-" + Marker();
        var before = await CmdbCounts.OfAsync(App);

        var noKey = await ImportAsync(new
        {
            source = "inv-" + Marker(),
            cis = new[] { new { @class = "virtual-machine", attributes = new Dictionary<string, string> { ["hostname"] = g.Name("WEB").ToUpperInvariant(), ["serial-number"] = serial } } },
        });
        var otherKey = await ImportAsync(new
        {
            source = "inv-" + Marker(),
            cis = new[] { Vm("unseen-key", g.Name("web"), new Dictionary<string, object> { ["memory-gb"] = 16 }, name: g.Name("web")) },
        });

        Assert.That(Cis(noKey), Is.EqualTo((0, 1, 0, 0)));
        Assert.That(Cis(otherKey), Is.EqualTo((0, 1, 0, 0)), "a key not seen before: the identifiers decide");
        var ci = await CiAsync(id);
        Assert.That((ci.Attribute("serial-number"), ci.Attribute("memory-gb"), ci.Attribute("hostname")), Is.EqualTo((serial, "16", g.Name("web"))),
            "the hostname, set by hand, keeps its spelling");
        Assert.That((await CmdbCounts.OfAsync(App)).Cis, Is.EqualTo(before.Cis));
    }

    [Test]
    public async Task ImportCmdb_WhenALowerPrecedenceSourceSetsAnAttribute_KeepsTheHigherSourcesValue()
    {
        var m = Marker();
        await ImportAsync(new { source = "discovery", cis = new[] { Vm($"p-{m}", $"p-{m}").With(("cpu-count", "4")) } });
        var id = (await IdOfAsync("discovery", $"p-{m}"))!.Value;

        // A source not listed in cmdb-sources.yaml has precedence 0, below discovery's 50.
        var lower = await ImportAsync(new { source = "sheet-" + m, cis = new[] { Vm($"p-{m}", $"p-{m}").With(("cpu-count", "8"), ("memory-gb", "16")) } });

        Assert.That(Cis(lower), Is.EqualTo((0, 1, 0, 0)), "the attribute nobody owned is taken");
        var ci = await CiAsync(id);
        Assert.That((ci.Attribute("cpu-count"), ci.Attribute("memory-gb")), Is.EqualTo(("4", "16")));
        var alone = await ImportAsync(new { source = "sheet-" + m, cis = new[] { Vm($"p-{m}", $"p-{m}").With(("cpu-count", "8")) } });
        Assert.That(Cis(alone), Is.EqualTo((0, 0, 1, 0)), "a change precedence refuses is no change");
        Assert.That(alone.GetProperty("changesetId").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task ImportCmdb_WhenAHigherPrecedenceSourceSetsAnAttribute_OverwritesTheLowerSourcesValue()
    {
        var m = Marker();
        await ImportAsync(new { source = "sheet-" + m, cis = new[] { Vm($"q-{m}", $"q-{m}").With(("memory-gb", "16"), ("cpu-count", "2")) } });
        var id = (await IdOfAsync("sheet-" + m, $"q-{m}"))!.Value;

        var higher = await ImportAsync(new { source = "discovery", cis = new[] { Vm($"q-{m}", $"q-{m}").With(("memory-gb", "32"), ("cpu-count", "4")) } });

        Assert.That(Cis(higher), Is.EqualTo((0, 1, 0, 0)));
        var ci = await CiAsync(id);
        Assert.That((ci.Attribute("memory-gb"), ci.Attribute("cpu-count")), Is.EqualTo(("32", "4")));

        // A person (manual, 100) outranks discovery: their value survives the next discovery run.
        await IncidentApi.ExpectAsync(await App.Api("engineer").PatchAsync($"/api/v1/cis/{id}",
            new StringContent("""{"attributes":{"cpu-count":"6"}}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        var rerun = await ImportAsync(new { source = "discovery", cis = new[] { Vm($"q-{m}", $"q-{m}").With(("memory-gb", "32"), ("cpu-count", "4")) } });
        Assert.That(Cis(rerun), Is.EqualTo((0, 0, 1, 0)));
        Assert.That((await CiAsync(id)).Attribute("cpu-count"), Is.EqualTo("6"));
    }

    [Test]
    public async Task ImportCmdb_WhenARowIsRejected_ReportsItsReasonLeavesNothingOfItAndImportsTheRest()
    {
        var m = Marker();
        var source = "disc-" + m;
        var before = await CmdbCounts.OfAsync(App);

        var result = await ImportAsync(new
        {
            source,
            cis = new object[]
            {
                Vm($"vm-{m}", $"vm-{m}"),
                new { key = $"db-{m}", @class = "database", name = $"db-{m}" },
                new { key = $"app-{m}", @class = "application-component", name = $"app-{m}" },
                new { key = $"ship-{m}", @class = "spaceship", name = $"ship-{m}" },
                new { key = $"svc-{m}", @class = "business-service", name = $"svc-{m}", criticality = 9 },
            },
            relationships = new object[]
            {
                new { source = $"app-{m}", type = "runs-on", target = $"vm-{m}" },
                new { source = $"app-{m}", type = "depends-on", target = $"db-{m}" },
                new { source = $"vm-{m}", type = "contains", target = $"app-{m}" },
                new { source = $"app-{m}", type = "runs-on", target = $"ghost-{m}" },
                new { source = $"app-{m}", type = "loves", target = $"vm-{m}" },
            },
        });

        Assert.That(Cis(result), Is.EqualTo((2, 0, 0, 3)));
        Assert.That(Links(result), Is.EqualTo((1, 0, 4)));
        var rejections = result.GetProperty("rejections").EnumerateArray()
            .Select(r => (r.GetProperty("row").GetInt32(), r.Text("kind"), r.TextOrNull("field"), r.Text("reason"))).ToList();
        Assert.That(rejections.Select(r => (r.Item1, r.Item2, r.Item3)), Is.EqualTo(new[]
        {
            (2, "ci", (string?)"attributes.engine"), (4, "ci", "class"), (5, "ci", "criticality"),
            (2, "relationship", "target"), (3, "relationship", "type"), (4, "relationship", "target"), (5, "relationship", "type"),
        }));
        Assert.That(rejections[0].Item4, Does.Contain("engine"));
        Assert.That(rejections[1].Item4, Does.Contain("'spaceship' is not a CI class"));
        Assert.That(rejections[3].Item4, Does.Contain($"db-{m}").And.Contain("rejected"));
        Assert.That(rejections[4].Item4, Does.Contain("virtual-machine cannot be the source of 'contains'"));
        Assert.That(rejections[5].Item4, Does.Contain($"ghost-{m}"));
        Assert.That(rejections[6].Item4, Does.Contain("'loves' is not a relationship type"));

        foreach (var rejected in new[] { $"db-{m}", $"ship-{m}", $"svc-{m}" }) Assert.That(await CountNamedAsync(rejected), Is.Zero, rejected);
        var after = await CmdbCounts.OfAsync(App);
        Assert.That((after.Cis, after.Relationships, after.Changesets), Is.EqualTo((before.Cis + 2, before.Relationships + 1, before.Changesets + 1)));
        var app = (await IdOfAsync(source, $"app-{m}"))!.Value;
        var links = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/cis/{app}/relationships"), HttpStatusCode.OK);
        Assert.That(links.EnumerateArray().Select(l => (l.Text("type"), l.GetProperty("other").Text("name"))), Is.EqualTo(new[] { ("runs-on", $"vm-{m}") }));
    }

    [Test]
    public async Task ImportCmdb_WhenEveryRowIsRejected_WritesNoChangesetAtAll()
    {
        var before = await CmdbCounts.OfAsync(App);

        var result = await ImportAsync(new { source = "disc-" + Marker(), cis = new[] { new { @class = "database", name = "no-engine-" + Marker() } } });

        Assert.That(Cis(result), Is.EqualTo((0, 0, 0, 1)));
        Assert.That(result.GetProperty("changesetId").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [Test]
    public async Task ImportCmdb_AsCsv_ImportsCiRowsThenRelationshipRowsAsDocumented()
    {
        var m = Marker();
        var source = "csv-" + m;
        var cis = $"""
            key,class,name,status,environment,criticality,ownerGroup,supportGroup,restricted,redundancy,attr:hostname,attr:operating-system,attr:cpu-count
            vm-{m},virtual-machine,vm-{m},Operational,Production,2,Server Operations,,false,,vm-{m}.corp.example,Linux,4
            cl-{m},cluster,cl-{m},Planned,,,,,,"needs 2 up",,,
            """;
        var relationships = $"""
            source,type,target
            vm-{m},runs-on,cl-{m}
            """;

        var first = await PostAsync($"?rows=cis&source={source}&reason=CSV%20load", cis, "text/csv");
        var links = await PostAsync($"?rows=relationships&source={source}", relationships, "text/csv; charset=utf-8");
        var again = await PostAsync($"?rows=cis&source={source}", cis, "text/csv");

        Assert.That(first.Status, Is.EqualTo(200), first.ToString());
        Assert.That(Cis(first.Json), Is.EqualTo((2, 0, 0, 0)));
        Assert.That(links.Status, Is.EqualTo(200), links.ToString());
        Assert.That(Links(links.Json), Is.EqualTo((1, 0, 0)), "the ends are keys of this source's earlier import");
        Assert.That(Cis(again.Json), Is.EqualTo((0, 0, 2, 0)));
        var vm = await CiAsync((await IdOfAsync(source, $"vm-{m}"))!.Value);
        Assert.That((vm.Text("status"), vm.TextOrNull("environment"), vm.GetProperty("criticality").GetInt32(), vm.TextOrNull("ownerGroup"), vm.GetProperty("restricted").GetBoolean()),
            Is.EqualTo(("Operational", (string?)"Production", 2, (string?)"Server Operations", false)));
        Assert.That((vm.Attribute("hostname"), vm.Attribute("operating-system"), vm.Attribute("cpu-count")), Is.EqualTo(($"vm-{m}.corp.example", "Linux", "4")));
        var cluster = await CiAsync((await IdOfAsync(source, $"cl-{m}"))!.Value);
        Assert.That((cluster.Text("status"), cluster.TextOrNull("redundancy"), cluster.GetProperty("criticality").GetInt32()), Is.EqualTo(("Planned", (string?)"needs 2", 3)),
            "an empty cell is a value not given");
        var sets = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/cmdb/changesets?ciId={vm.Id()}"), HttpStatusCode.OK);
        Assert.That(sets.GetProperty("items").EnumerateArray().Select(s => (s.TextOrNull("source"), s.TextOrNull("reason"))),
            Is.EqualTo(new[] { ((string?)source, (string?)null), (source, "CSV load") }));
    }

    [Test]
    public async Task ImportCmdb_AsCsvWithABadRow_RejectsThatRowWithItsLineAndImportsTheRest()
    {
        var m = Marker();
        var csv = $"""
            key,class,name,criticality,attr:hostname
            a-{m},virtual-machine,a-{m},1,a-{m}
            b-{m},virtual-machine,b-{m},high,b-{m}
            c-{m},virtual-machine,c-{m},2
            """;

        var reply = await PostAsync($"?rows=cis&source=csv-{m}", csv, "text/csv");

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        Assert.That(Cis(reply.Json), Is.EqualTo((1, 0, 0, 2)));
        var rejections = reply.Json.GetProperty("rejections").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.TextOrNull("field"), r.TextOrNull("key"))).ToList();
        Assert.That(rejections, Is.EqualTo(new[] { (3, (string?)"criticality", (string?)$"b-{m}"), (4, "row", $"c-{m}") }), "rows by their line in the file");
        Assert.That(await CountNamedAsync($"b-{m}") + await CountNamedAsync($"c-{m}"), Is.Zero);
    }

    public static IEnumerable<TestCaseData> BadImports()
    {
        const string ok = """{"source":"probe","cis":[{"key":"probe-1","class":"business-service","name":"Import probe"}]}""";
        TestCaseData Case(string name, string query, string body, int status, string? field, string contentType = "application/json") =>
            new TestCaseData(query, body, contentType, status, field).SetArgDisplayNames(name);
        yield return Case("unknown parameter", "?mode=dry-run", ok, 400, "mode");
        yield return Case("rows on a JSON document", "?rows=cis", ok, 400, "rows");
        yield return Case("unknown rows", "?rows=things", "key,class\n", 400, "rows", "text/csv");
        yield return Case("CSV without rows", "", "key,class\nx,business-service\n", 400, "rows", "text/csv");
        yield return Case("CSV with an unknown column", "?rows=cis&source=probe", "key,class,colour\nx,business-service,red\n", 400, "body", "text/csv");
        yield return Case("CSV without its class column", "?rows=cis&source=probe", "key,name\nx,y\n", 400, "body", "text/csv");
        yield return Case("CSV with a column twice", "?rows=relationships&source=probe", "source,type,target,type\na,runs-on,b,runs-on\n", 400, "body", "text/csv");
        yield return Case("empty CSV", "?rows=cis&source=probe", "", 400, "body", "text/csv");
        yield return Case("malformed CSV", "?rows=cis&source=probe", "key,class,name\n\"x,business-service,y\n", 400, "body", "text/csv");
        yield return Case("CSV without a source", "?rows=cis", "key,class,name\nx,business-service,y\n", 400, "source", "text/csv");
        yield return Case("XML", "", "<cis/>", 415, null, "application/xml");
        yield return Case("no Content-Type", "", ok, 415, null, null!);
        yield return Case("Latin-1 JSON", "", ok, 415, null, "application/json; charset=iso-8859-1");
        yield return Case("malformed JSON", "", """{"source":"probe","cis":[""", 400, "body");
        yield return Case("an array", "", "[]", 400, "body");
        yield return Case("unknown document field", "", """{"source":"probe","dryRun":true,"cis":[{"class":"business-service","name":"x"}]}""", 400, "dryRun");
        yield return Case("cis not an array", "", """{"source":"probe","cis":{"class":"business-service"}}""", 400, "cis");
        yield return Case("source a number", "", """{"source":7,"cis":[{"class":"business-service","name":"x"}]}""", 400, "source");
        yield return Case("source manual", "", """{"source":"manual","cis":[{"class":"business-service","name":"x"}]}""", 400, "source");
        yield return Case("source with a space", "", """{"source":"my tool","cis":[{"class":"business-service","name":"x"}]}""", 400, "source");
        yield return Case("source missing", "", """{"cis":[{"class":"business-service","name":"x"}]}""", 400, "source");
        yield return Case("source twice, different", "?source=other", ok, 400, "source");
        yield return Case("source parameter too long", "?source=" + new string('s', 101), ok, 400, "source");
        yield return Case("no rows", "", """{"source":"probe","cis":[],"relationships":[]}""", 400, "cis");
        yield return Case("reason too long", "", $$"""{"source":"probe","reason":"{{new string('r', 1001)}}","cis":[{"class":"business-service","name":"x"}]}""", 400, "reason");
        yield return Case("changeNumber too long", "", """{"source":"probe","changeNumber":"CHG000000000000000001","cis":[{"class":"business-service","name":"x"}]}""", 400, "changeNumber");
        yield return Case("reason parameter too long", "?reason=" + new string('r', 1001), ok, 400, "reason");
    }

    [TestCaseSource(nameof(BadImports))]
    public async Task ImportCmdb_WhenTheRequestIsBad_RefusesWithAProblemNamingTheFieldAndImportsNothing(string query, string body, string? contentType, int status, string? field)
    {
        var before = await CmdbCounts.OfAsync(App);

        var reply = await PostAsync(query, body, contentType!);

        Assert.That(reply.Status, Is.EqualTo(status), reply.ToString());
        Assert.That(reply.IsProblem, Is.True, reply.ToString());
        if (field is not null) Assert.That(reply.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field), reply.ToString());
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [TestCase("requester", 403)]
    [TestCase("agent", 403)]
    [TestCase("changemanager", 403)]
    [TestCase(null, 401)]
    public async Task ImportCmdb_WhenTheCallerMayNotWriteTheCmdb_IsRefusedAndImportsNothing(string? user, int status)
    {
        var name = "Refused-" + Marker();
        var before = await CmdbCounts.OfAsync(App);

        var reply = await PostAsync("", JsonSerializer.Serialize(new { source = "disc", cis = new[] { new { key = name, @class = "business-service", name } } }), user: user);
        var csv = await PostAsync("?rows=cis&source=disc", $"key,class,name\n{name},business-service,{name}\n", "text/csv", user: user);

        Assert.That(reply.Status, Is.EqualTo(status), reply.ToString());
        Assert.That(csv.Status, Is.EqualTo(status), csv.ToString());
        Assert.That(reply.IsProblem && csv.IsProblem, Is.True);
        Assert.That(await CountNamedAsync(name), Is.Zero);
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    [TestCase("engineer")]
    [TestCase("admin")]
    public async Task ImportCmdb_WhenTheCallerWritesTheCmdb_Imports(string user)
    {
        var name = "Allowed-" + Marker();

        var result = await ImportAsync(new { source = "disc", cis = new[] { new { key = name, @class = "business-service", name } } }, user);

        Assert.That(Cis(result), Is.EqualTo((1, 0, 0, 0)));
        Assert.That(await CountNamedAsync(name), Is.EqualTo(1));
    }
}

internal static class ImportRows
{
    /// <summary>The row with these attributes set (besides its hostname).</summary>
    public static Dictionary<string, object?> With(this Dictionary<string, object?> row, params (string Name, string Value)[] attributes)
    {
        var attrs = (Dictionary<string, object?>)row["attributes"]!;
        foreach (var (name, value) in attributes) attrs[name] = value;
        return row;
    }
}
