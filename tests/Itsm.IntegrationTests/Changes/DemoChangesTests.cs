using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// The demo (make run) comes with the changes of seed-data/demo/changes.yaml, made through the app's own requests: in
/// the states the file asks for, with approvals asked where they wait for approval, and a CAB meeting with them on its agenda.
/// Whatever the day: the demo is loaded today on both providers, and on SQLite on days whose offsets from the file's
/// days_ahead once put a standard change outside its CIs' maintenance window (a Friday) or in the year-end freeze.
/// </summary>
[TestFixture(DbProvider.Sqlite, null)]
[TestFixture(DbProvider.Postgres, null)]
[TestFixture(DbProvider.Sqlite, "2026-12-04T14:00:00Z")]
[TestFixture(DbProvider.Sqlite, "2026-12-12T09:00:00Z")]
public sealed class DemoChangesTests(DbProvider provider, string? loadedAt)
{
    private ItsmApp _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ItsmApp(provider, new Dictionary<string, string?> { ["Seed:DemoChanges"] = "true" },
        loadedAt is null ? null : DateTimeOffset.Parse(loadedAt, System.Globalization.CultureInfo.InvariantCulture));
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    private async Task<JsonElement> GetAsync(string url, string user = "changemanager") =>
        await IncidentApi.ExpectAsync(await _app.Api(user).GetAsync(url), HttpStatusCode.OK);

    [Test]
    public async Task DemoChanges_AreInTheirStates_WithApprovalsAsked_AndOnTheCabAgenda()
    {
        var changes = (await GetAsync("/api/v1/changes?pageSize=50")).GetProperty("items").EnumerateArray()
            .ToDictionary(c => c.Text("shortDescription"), c => c);

        Assert.That(changes.Keys, Has.Count.EqualTo(6));
        Assert.That(changes["Upgrade the cart cache to Redis 7.2"].Text("state"), Is.EqualTo("authorize"));
        Assert.That(changes["Move the astronomy database to the new storage array"].Text("state"), Is.EqualTo("assess"));
        Assert.That(changes["Enable HTTP/3 on the boutique front end"].Text("state"), Is.EqualTo("new"));
        Assert.That(changes["Monthly OS patches for the boutique ad service VM"].Text("state"), Is.EqualTo("scheduled"));

        var redis = changes["Upgrade the cart cache to Redis 7.2"].Text("number");
        var approvals = (await GetAsync($"/api/v1/changes/{redis}/approvals")).GetProperty("approvals").EnumerateArray().ToList();
        Assert.That(approvals.Select(a => a.Text("state")), Does.Contain("requested"), "the first stage is asked");
        var inbox = await GetAsync("/api/v1/approvals");
        Assert.That(inbox.ToString(), Does.Contain(redis), "the change manager's inbox has the change they must approve");
        var today = _app.Clock.UtcNow.UtcDateTime.Date;
        Assert.That(changes["Monthly OS patches for the boutique cart service VM"].Text("state"), Is.EqualTo("scheduled"));
        var calendar = await GetAsync($"/api/v1/changes/calendar?from={today:yyyy-MM-dd}T00:00:00Z&to={today.AddDays(31):yyyy-MM-dd}T00:00:00Z");
        Assert.That(calendar.GetProperty("changes").GetArrayLength(), Is.EqualTo(6));
        var meetings = (await GetAsync("/api/v1/cab/meetings", "cabmember")).GetProperty("items").EnumerateArray().ToList();
        Assert.That(meetings.Select(m => m.Text("title")), Is.EqualTo(new[] { "Weekly CAB" }));
        var meeting = await GetAsync($"/api/v1/cab/meetings/{meetings[0].Text("id")}", "cabmember");
        var agenda = meeting.GetProperty("agenda").EnumerateArray().Select(i => i.Text("changeNumber")).ToList();
        var coreSwitch = changes["Replace the core switch dc1-core-01 line card"].Text("number");
        Assert.That(agenda, Does.Contain(coreSwitch), "the change the policy sends to the CAB (a critical network CI) is on its agenda");
        var cabInbox = await GetAsync("/api/v1/approvals", "cabmember");
        Assert.That(cabInbox.ToString(), Does.Contain(coreSwitch), "the owners approved: the CAB is asked");
        var inAuthorize = changes.Values.Where(c => c.Text("state") == "authorize").Select(c => c.Text("number"));
        Assert.That(agenda, Is.SubsetOf(inAuthorize));
    }
}
