using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// The history rules of a change's risk (itil-processes/change-risk.yaml): failed or backed-out changes to the same CIs,
/// and incidents caused by changes to them, in the last 90 days. A fixture of its own: it moves the clock.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeHistoryRiskApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    private async Task<Dictionary<string, JsonElement>> ReasonsAsync(string number, HttpClient? reader = null) =>
        (await IncidentApi.ExpectAsync(await (reader ?? App.Api("cabmember")).GetAsync($"/api/v1/changes/{number}/risk"), HttpStatusCode.OK))
        .GetProperty("reasons").EnumerateArray().ToDictionary(r => r.Text("rule"));

    /// <summary>A client with a token issued now (App.Api keeps the first one for the fixture's life).</summary>
    private async Task<HttpClient> FreshAsync(string user)
    {
        var client = App.Api(null);
        var issued = await IncidentApi.ExpectAsync(
            await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password = ItsmApp.Password }), HttpStatusCode.OK);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", issued.Text("token"));
        return client;
    }

    private int _raised;

    /// <summary>A normal change a fortnight after the (moved) clock, an hour of its own.</summary>
    private async Task<string> RaiseAsync(params long[] cis) => await RaiseAsync(null, cis);

    private async Task<string> RaiseAsync(HttpClient? engineer, params long[] cis)
    {
        var now = App.Clock.UtcNow.AddDays(14);
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(2 * _raised++);
        var body = NormalBody(cis, window: (start, start.AddHours(1)));
        return (await IncidentApi.ExpectAsync(await (engineer ?? Engineer).PostAsJsonAsync("/api/v1/changes", body), HttpStatusCode.Created)).Number();
    }

    [Test]
    public async Task GetRisk_OnCisWhoseEarlierChangeFailedAndCausedAnIncident_CountsBoth_AndOnOtherCisNeither()
    {
        var g = Graph();
        async Task<long> Vm(string name) => await g.CiAsync("virtual-machine", name, new Dictionary<string, object?>
            { ["attributes"] = new Dictionary<string, string> { ["hostname"] = g.Name(name) + ".corp.example" } });
        var (vm, other, elsewhere) = (await Vm("vm"), await Vm("other"), await Vm("elsewhere"));

        // A standard patch of the VM in its maintenance window, implemented, failed; an incident names it as its cause.
        // The next Saturday night (Berlin), within the API tokens' lifetime.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(App.Clock.UtcNow.AddDays(1), berlin).Date;
        while (day.DayOfWeek != DayOfWeek.Saturday) day = day.AddDays(1);
        var start = new DateTimeOffset(day.AddHours(22), berlin.GetUtcOffset(day.AddHours(22))).ToUniversalTime();
        var failed = (await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "standard", template = "os-patch-linux", ciIds = new[] { vm }, plannedStart = start.ToString("O"),
        }), HttpStatusCode.Created)).Text("number");
        Assert.That((await MoveAsync(failed, "schedule-standard")).Text("state"), Is.EqualTo("scheduled"));
        App.Clock.Advance(start - App.Clock.UtcNow + TimeSpan.FromMinutes(10));
        await MoveAsync(failed, "start-implementation");
        await MoveAsync(failed, "record-outcome", new { resolutionCode = "failed", resolutionNotes = "The VM did not come back after the reboot." });
        var incident = (await LogAsync("agent", new { shortDescription = "Orders time out " + Marker(), impact = 2, urgency = 2 })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(incident, new { causedByChangeNumber = failed }), HttpStatusCode.OK);

        var onTheVm = await ReasonsAsync(await RaiseAsync(other, vm));
        var onAnother = await ReasonsAsync(await RaiseAsync(elsewhere));
        var itself = await ReasonsAsync(failed);

        Assert.That(onTheVm["failed-changes"].Text("text"), Is.EqualTo("1 failed change on the same CIs in the last 90 days"));
        Assert.That(onTheVm["failed-changes"].GetProperty("points").GetInt32(), Is.EqualTo(6));
        Assert.That(onTheVm["incidents-caused-by-changes"].Text("text"), Is.EqualTo("1 incident caused by changes to the same CIs in the last 90 days"));
        Assert.That(onAnother.Keys, Has.None.EqualTo("failed-changes").And.None.EqualTo("incidents-caused-by-changes"), "other CIs have no such history");
        Assert.That(itself.Keys, Has.None.EqualTo("failed-changes").And.None.EqualTo("incidents-caused-by-changes"), "a change is not its own history");

        // Ninety days on, the history no longer counts (the cached API tokens have expired by then: new ones).
        App.Clock.Advance(TimeSpan.FromDays(91));
        var later = await ReasonsAsync(await RaiseAsync(await FreshAsync("engineer"), vm), await FreshAsync("cabmember"));
        Assert.That(later.Keys, Has.None.EqualTo("failed-changes").And.None.EqualTo("incidents-caused-by-changes"));
    }
}
