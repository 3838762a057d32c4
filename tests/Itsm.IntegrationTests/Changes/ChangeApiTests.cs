using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// Raising and editing changes through the API: the three types (a standard change from its template), every refusal
/// of bad input naming its field with nothing created, Idempotency-Key replays, ETag / If-Match on PATCH, the type kept
/// once the change moved or was approved, and the paged change queue.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    [Test]
    public async Task RaiseNormalChange_WithAPlan_Returns201WithLocationETagThePlanAndItsRisk()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var body = NormalBody([cart], implementer: "tom.baker");

        var response = await Engineer.PostAsJsonAsync("/api/v1/changes", body);
        var change = await IncidentApi.ExpectAsync(response, HttpStatusCode.Created);

        Assert.That(change.Number(), Does.Match("^CHG[0-9]{7}$"));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/changes/{change.Number()}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{change.GetProperty("version").GetInt32()}\""));
        Assert.That((change.Text("type"), change.Text("state"), change.TextOrNull("templateCode"), change.Text("requesterName"), change.Text("implementerName")),
            Is.EqualTo(("normal", "new", (string?)null, "Erik Engineer", "Tom Baker")));
        Assert.That((change.Text("implementationPlan"), change.Text("backoutPlan"), change.Text("testPlan")),
            Is.EqualTo((body["implementationPlan"], body["backoutPlan"], body["testPlan"])));
        Assert.That(change.GetProperty("plannedStart").GetDateTimeOffset(), Is.EqualTo(((DateTimeOffset)body["plannedStart"]!)));
        Assert.That(change.GetProperty("missing").GetArrayLength(), Is.Zero, "the plan is complete");
        Assert.That(change.Text("risk"), Is.EqualTo("low"), "a normal change on one criticality-3 component, a fortnight ahead");
        var cis = await App.Api("agent").GetFromJsonAsync<JsonElement>($"/api/v1/changes/{change.Number()}/cis");
        Assert.That(cis.GetProperty("affectedCis").EnumerateArray().Select(a => a.GetProperty("ci").GetProperty("id").GetInt64()), Is.EqualTo(new[] { cart }));
    }

    [Test]
    public async Task RaiseChange_WithoutAnImplementer_MakesTheRaiserTheImplementer_AndRecordsTheTypeAsSetNotChanged()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");

        var change = await RaiseAsync(NormalBody([cart]));

        Assert.That(change.Text("implementerId"), Is.EqualTo(await UserIdAsync("engineer")));
        var history = await HistoryAsync(change.Number());
        var type = history.EnumerateArray().Where(h => h.Text("field") == "type").Select(h => (h.TextOrNull("oldValue"), h.TextOrNull("newValue"))).ToList();
        Assert.That(type, Is.EqualTo(new[] { ((string?)null, (string?)"Normal") }), "raising sets the type: nothing was standard before");
    }

    [Test]
    public async Task RaiseStandardChange_FromATemplate_FillsThePlanAndEndsAfterTheTemplatesDuration()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "web");
        var (start, _) = WindowedSlot("virtual-machine", TimeSpan.FromHours(2));

        var change = await RaiseAsync(new { type = "standard", template = "os-patch-linux", plannedStart = start, ciIds = new[] { vm } });

        Assert.That((change.Text("type"), change.Text("templateCode"), change.Text("shortDescription")),
            Is.EqualTo(("standard", "os-patch-linux", "Monthly Linux security patches on a server or VM")));
        Assert.That(change.Text("implementationPlan"), Does.StartWith("Drain the node from its load balancer pool"));
        Assert.That(change.Text("backoutPlan"), Does.StartWith("Boot the previous kernel"));
        Assert.That(change.Text("testPlan"), Does.StartWith("The service's health check answers"));
        Assert.That(change.Text("justification"), Is.EqualTo("Standard change: Monthly Linux security patches on a server or VM."));
        Assert.That(change.GetProperty("plannedEnd").GetDateTimeOffset() - change.GetProperty("plannedStart").GetDateTimeOffset(), Is.EqualTo(TimeSpan.FromHours(2)));
        Assert.That(change.GetProperty("missing").GetArrayLength(), Is.Zero);
        var history = await HistoryAsync(change.Number());
        Assert.That(history.EnumerateArray().Where(h => h.Text("field") is "type" or "template").Select(h => (h.Text("field"), h.TextOrNull("oldValue"), h.TextOrNull("newValue"))),
            Is.EqualTo(new[] { ("type", (string?)null, (string?)"Standard"), ("template", null, "os-patch-linux") }), "raising a standard change records its type");

        var scheduled = await MoveAsync(change.Number(), "schedule-standard");
        Assert.That(scheduled.Text("state"), Is.EqualTo("scheduled"), "pre-approved: no assessment, no approval");
        Assert.That((await ApprovalsAsync(change.Number())).Text("state"), Is.EqualTo("none"));
    }

    [Test]
    public async Task RaiseStandardChange_OnACiOfAClassTheTemplateDoesNotCover_Returns400AndCreatesNothing()
    {
        var g = Graph();
        var db = await g.CiAsync("database", "orders-db", new Dictionary<string, object?> { ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" } });
        var before = await ChangeTotalAsync();

        var response = await Engineer.PostAsJsonAsync("/api/v1/changes",
            new { type = "standard", template = "os-patch-linux", plannedStart = Slot().Start, ciIds = new[] { db } });

        var problem = await IncidentApi.ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("ciIds")[0].GetString(), Does.Contain("server, virtual-machine").And.Contain(g.Name("orders-db")));
        Assert.That(await ChangeTotalAsync(), Is.EqualTo(before));
    }

    [TestCase("unknown type", "type")]
    [TestCase("template on a normal change", "template")]
    [TestCase("standard change without a template", "template")]
    [TestCase("template not in the catalog", "template")]
    [TestCase("end before start", "plannedEnd")]
    [TestCase("start without an end", "plannedEnd")]
    [TestCase("window longer than a month", "plannedEnd")]
    [TestCase("unknown implementer", "implementer")]
    [TestCase("implementer who implements no changes", "implementer")]
    [TestCase("unknown CI", "ciIds")]
    [TestCase("retired CI", "ciIds")]
    [TestCase("CI named twice", "ciIds")]
    [TestCase("unknown questionnaire answer", "riskAnswers.tested-in-staging")]
    [TestCase("unknown questionnaire question", "riskAnswers.tested-in-production")]
    [TestCase("unknown field", "rollbackPlan")]
    public async Task RaiseChange_WithInvalidInput_Returns400NamingTheFieldAndCreatesNothing(string fault, string field)
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");
        var body = NormalBody([cart]);
        var start = (DateTimeOffset)body["plannedStart"]!;
        switch (fault)
        {
            case "unknown type": body["type"] = "urgent"; break;
            case "template on a normal change": body["template"] = "os-patch-linux"; break;
            case "standard change without a template": body["type"] = "standard"; break;
            case "template not in the catalog": body["type"] = "standard"; body["template"] = "reboot-everything"; break;
            case "end before start": body["plannedEnd"] = start.AddHours(-1); break;
            case "start without an end": body.Remove("plannedEnd"); break;
            case "window longer than a month": body["plannedEnd"] = start.AddDays(40); break;
            case "unknown implementer": body["implementer"] = "nobody.here"; break;
            case "implementer who implements no changes": body["implementer"] = "agent"; break;
            case "unknown CI": body["ciIds"] = new[] { cart, 987_654_321L }; break;
            case "retired CI":
                var old = await g.CiAsync("application-component", "legacy");
                await IncidentApi.ExpectAsync(await Engineer.PostAsync($"/api/v1/cis/{old}/retire?reason=Decommissioned", null), HttpStatusCode.OK);
                body["ciIds"] = new[] { old };
                break;
            case "CI named twice": body["ciIds"] = new[] { cart, cart }; break;
            case "unknown questionnaire answer": body["riskAnswers"] = new Dictionary<string, string> { ["tested-in-staging"] = "maybe" }; break;
            case "unknown questionnaire question": body["riskAnswers"] = new Dictionary<string, string> { ["tested-in-production"] = "yes" }; break;
            case "unknown field": body["rollbackPlan"] = "Undo it"; break;
        }
        var before = await ChangeTotalAsync();

        var errors = await IncidentApi.FieldErrorsAsync(await Engineer.PostAsJsonAsync("/api/v1/changes", body));

        Assert.That(errors, Does.Contain(field), fault);
        Assert.That(await ChangeTotalAsync(), Is.EqualTo(before), "a refused change is not created");
    }

    [Test]
    public async Task RaiseChange_WithTheSameIdempotencyKey_CreatesOneChange_AndAnotherBodyIsRefused()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");
        var body = NormalBody([cart]);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Post(object b)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/changes") { Content = JsonContent.Create(b) };
            request.Headers.Add("Idempotency-Key", key);
            return await Engineer.SendAsync(request);
        }

        var first = await IncidentApi.ExpectAsync(await Post(body), HttpStatusCode.Created);
        var total = await ChangeTotalAsync();
        var again = await IncidentApi.ExpectAsync(await Post(body), HttpStatusCode.Created);
        body["shortDescription"] = "Another change";
        var other = await IncidentApi.ExpectAsync(await Post(body), (HttpStatusCode)422);

        Assert.That(again.Number(), Is.EqualTo(first.Number()));
        Assert.That(other.Text("title"), Is.EqualTo("Idempotency-Key reused."));
        Assert.That(await ChangeTotalAsync(), Is.EqualTo(total), "the replay and the refused reuse create nothing");
        var cis = await App.Api("agent").GetFromJsonAsync<JsonElement>($"/api/v1/changes/{first.Number()}/cis");
        Assert.That(cis.GetProperty("affectedCis").GetArrayLength(), Is.EqualTo(1), "the replay does not add the CI twice");
    }

    [Test]
    public async Task UpdateChange_WithTheCurrentETag_ChangesThePlan_AndAStaleOneIsRefused412()
    {
        var g = Graph();
        var number = await RaiseNormalAsync([await g.CiAsync("application-component", "cart")]);
        var read = await Engineer.GetAsync($"/api/v1/changes/{number}");
        var etag = read.Headers.ETag!.Tag;

        var patched = await Patch(number, new { backoutPlan = "Restore the snapshot taken before." }, etag);
        var ok = await IncidentApi.ExpectAsync(patched, HttpStatusCode.OK);
        var stale = await Patch(number, new { testPlan = "Lost update" }, etag);

        Assert.That(ok.Text("backoutPlan"), Is.EqualTo("Restore the snapshot taken before."));
        Assert.That(patched.Headers.ETag?.Tag, Is.Not.EqualTo(etag).And.EqualTo($"\"{ok.GetProperty("version").GetInt32()}\""));
        await IncidentApi.ExpectAsync(stale, HttpStatusCode.PreconditionFailed);
        Assert.That((await ChangeAsync(number)).Text("testPlan"), Is.EqualTo("The health check answers and the smoke tests pass."));
        var history = await HistoryAsync(number);
        Assert.That(history.EnumerateArray().Select(h => (h.Text("field"), h.TextOrNull("newValue"))), Does.Contain(("backoutPlan", (string?)"Restore the snapshot taken before.")));
    }

    [Test]
    public async Task UpdateChange_ClearingTheBackoutPlan_ListsItAsMissing_AndSubmittingIsRefused409()
    {
        var g = Graph();
        var number = await RaiseNormalAsync([await g.CiAsync("application-component", "cart")]);

        var cleared = await IncidentApi.ExpectAsync(await Patch(number, new { backoutPlan = (string?)null }), HttpStatusCode.OK);
        var refused = await IncidentApi.ExpectAsync(await TransitionAsync(number, "submit-for-assessment"), HttpStatusCode.Conflict);

        Assert.That(cleared.GetProperty("missing").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "a backout plan" }));
        Assert.That(refused.Text("rule"), Is.EqualTo("transition-not-allowed"));
        Assert.That(refused.Text("detail"), Does.Contain("backout"));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task UpdateChange_TypeInNew_Changes_ButPastNewIsRefused409()
    {
        var g = Graph();
        var number = await RaiseNormalAsync([await g.CiAsync("application-component", "cart")]);

        var retyped = await IncidentApi.ExpectAsync(await Patch(number, new { type = "emergency" }), HttpStatusCode.OK);
        Assert.That(retyped.Text("type"), Is.EqualTo("emergency"));
        await IncidentApi.ExpectAsync(await Patch(number, new { type = "normal" }), HttpStatusCode.OK);
        await MoveAsync(number, "submit-for-assessment");

        var refused = await IncidentApi.ExpectAsync(await Patch(number, new { type = "emergency" }), HttpStatusCode.Conflict);

        Assert.That(refused.Text("rule"), Is.EqualTo("change-type-frozen"));
        Assert.That((await ChangeAsync(number)).Text("type"), Is.EqualTo("normal"));
    }

    [Test]
    public async Task UpdateChange_ToStandardWithATemplateOfOtherClasses_Returns400AndKeepsTheType()
    {
        var g = Graph();
        var number = await RaiseNormalAsync([await g.CiAsync("application-component", "cart")]);

        var errors = await IncidentApi.FieldErrorsAsync(await Patch(number, new { type = "standard", template = "os-patch-linux" }));

        Assert.That(errors, Does.Contain("template"));
        Assert.That((await ChangeAsync(number)).Text("type"), Is.EqualTo("normal"));
    }

    [Test]
    public async Task ListChanges_FiltersSortsAndPagesLikeEveryQueue()
    {
        var marker = Marker();
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var body = NormalBody([cart]);
            body["shortDescription"] = $"{marker} change {i}";
            numbers.Add((await RaiseAsync(body)).Number());
        }

        var first = await IncidentApi.ExpectAsync(await App.Api("cabmember").GetAsync($"/api/v1/changes?text={marker}&sort=number&pageSize=2"), HttpStatusCode.OK);
        var second = await IncidentApi.ExpectAsync(await App.Api("cabmember").GetAsync($"/api/v1/changes?text={marker}&sort=number&pageSize=2&page=2"), HttpStatusCode.OK);

        Assert.That((first.GetProperty("total").GetInt32(), first.GetProperty("pageCount").GetInt32()), Is.EqualTo((3, 2)));
        Assert.That(first.GetProperty("items").EnumerateArray().Select(i => i.Number()), Is.EqualTo(numbers.Take(2)));
        Assert.That(second.GetProperty("items").EnumerateArray().Select(i => i.Number()), Is.EqualTo(numbers.Skip(2)));
        await IncidentApi.FieldErrorsAsync(await ChangeManager.GetAsync("/api/v1/changes?state=on-hold"));
        var assessing = await IncidentApi.ExpectAsync(await ChangeManager.GetAsync($"/api/v1/changes?text={marker}&state=assess"), HttpStatusCode.OK);
        Assert.That(assessing.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task ChangeEndpoints_WhenGivenAnIncidentNumber_Return404()
    {
        var incident = (await LogAsync("agent", new { shortDescription = "Not a change" })).Number();

        foreach (var path in new[] { "", "/history", "/transitions", "/approvals", "/assessment", "/risk", "/conflicts" })
            await IncidentApi.ExpectAsync(await ChangeManager.GetAsync($"/api/v1/changes/{incident}{path}"), HttpStatusCode.NotFound);
        var g = Graph();
        var change = await RaiseNormalAsync([await g.CiAsync("application-component", "cart")]);
        await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/incidents/{change}"), HttpStatusCode.NotFound);
    }

    private Task<HttpResponseMessage> Patch(string number, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/changes/{number}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Engineer.SendAsync(request);
    }
}
