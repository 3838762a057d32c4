using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// What links changes to the rest: an incident names the implemented change that caused it, and such incidents raise
/// the risk of the next change to the same CIs; a CI lists its open tickets and its changes (to come and past); a
/// change lists the CMDB writes that named it.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeLinksApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    /// <summary>A standard change on the CI, implemented (its clock moved into its window) and its outcome recorded.</summary>
    private async Task<string> ImplementedChangeAsync(long ci, string outcome = "successful")
    {
        var (start, _) = WindowedSlot("virtual-machine", TimeSpan.FromHours(1));
        var number = (await RaiseAsync(new { type = "standard", template = "os-patch-linux", plannedStart = start, ciIds = new[] { ci } })).Number();
        await MoveAsync(number, "schedule-standard");
        App.Clock.Advance(start - App.Clock.UtcNow + TimeSpan.FromMinutes(5));
        await MoveAsync(number, "start-implementation");
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{ci}", new { criticality = 2, changeNumber = number }), HttpStatusCode.OK);
        await MoveAsync(number, "record-outcome", new { resolutionCode = outcome, resolutionNotes = "Patched and rebooted." });
        return number;
    }

    private async Task<JsonElement> AttributeAsync(string incident, string? change, HttpStatusCode expected, string user = "agent") =>
        await IncidentApi.ExpectAsync(await App.Api(user).PatchJsonAsync(incident, new { causedByChangeNumber = change }), expected);

    private async Task<JsonElement> CiTicketsAsync(long ci, string user = "engineer") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/cis/{ci}/tickets"), HttpStatusCode.OK);

    [Test]
    public async Task AnIncidentCausedByAChange_IsListedOnTheChange_AndRaisesTheRiskOfTheNextChangeOnTheSameCi()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "web");
        var change = await ImplementedChangeAsync(vm);
        var before = await RaiseNormalAsync([vm]);
        var riskBefore = (await IncidentApi.ExpectAsync(await Engineer.GetAsync($"/api/v1/changes/{before}/risk"), HttpStatusCode.OK))
            .GetProperty("reasons").EnumerateArray().Select(r => r.Text("rule")).ToList();
        Assert.That(riskBefore, Does.Not.Contain("incidents-caused-by-changes"));
        var incident = (await LogAssignedAsync("Web answers 502 since the patch " + Marker())).Number();

        var attributed = await AttributeAsync(incident, change.ToLowerInvariant(), HttpStatusCode.OK);

        Assert.That(attributed.Text("causedByChangeNumber"), Is.EqualTo(change));
        var onChange = await ChangeAsync(change, "changemanager");
        Assert.That(onChange.GetProperty("causedIncidents").EnumerateArray().Select(i => i.Text("number")), Is.EqualTo(new[] { incident }));
        var next = await RaiseNormalAsync([vm]);
        var reasons = (await IncidentApi.ExpectAsync(await Engineer.GetAsync($"/api/v1/changes/{next}/risk"), HttpStatusCode.OK))
            .GetProperty("reasons").EnumerateArray().ToDictionary(r => r.Text("rule"));
        Assert.That(reasons["incidents-caused-by-changes"].Text("text"), Is.EqualTo("1 incident caused by changes to the same CIs in the last 90 days"));
        Assert.That(reasons["incidents-caused-by-changes"].GetProperty("points").GetInt32(), Is.EqualTo(4));
        var history = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/incidents/{incident}/history"), HttpStatusCode.OK);
        Assert.That(history.EnumerateArray().Any(h => h.Text("field") == "causedByChange" && h.TextOrNull("newValue") == change), history.ToString());

        var cleared = await AttributeAsync(incident, null, HttpStatusCode.OK);
        Assert.That(cleared.TextOrNull("causedByChangeNumber"), Is.Null);
        Assert.That((await ChangeAsync(change, "changemanager")).GetProperty("causedIncidents").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task AttributingAnIncident_ToAChangeNotImplemented_OrUnknown_OrNotAChange_IsRefused_AndChangesNothing()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "db");
        var planned = await RaiseNormalAsync([vm]);
        var incident = await LogAssignedAsync("Database slow " + Marker());
        var number = incident.Number();

        var notImplemented = await AttributeAsync(number, planned, HttpStatusCode.Conflict);
        Assert.That(notImplemented.Text("rule"), Is.EqualTo("change-not-implemented"));
        Assert.That(notImplemented.Text("detail"), Does.Contain(planned).And.Contain("has not been implemented"));
        foreach (var wrong in new[] { "CHG9999999", number, "'; DROP TABLE tickets; --", "PRB0000001" })
        {
            var errors = await IncidentApi.FieldErrorsAsync(await App.Api("agent").PatchJsonAsync(number, new { causedByChangeNumber = wrong }));
            Assert.That(errors, Is.EqualTo(new[] { "causedByChangeNumber" }), wrong);
        }
        Assert.That(await IncidentApi.FieldErrorsAsync(await App.Api("agent").PatchJsonAsync(number, new { causedByChangeNumber = 42 })),
            Is.EqualTo(new[] { "causedByChangeNumber" }), "a number is not text");
        var after = await GetAsync("agent", number);
        Assert.That((after.TextOrNull("causedByChangeNumber"), after.GetProperty("version").GetInt32()),
            Is.EqualTo(((string?)null, incident.GetProperty("version").GetInt32())), "nothing changed");
        await IncidentApi.ExpectAsync(await App.Api("requester").PatchJsonAsync(number, new { causedByChangeNumber = planned }), HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task ARequester_DoesNotSeeTheChangeBehindTheirIncident()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "mail");
        var change = await ImplementedChangeAsync(vm);
        var incident = (await LogAsync("requester", new { shortDescription = "Mail is down " + Marker(), impact = 2, urgency = 2 })).Number();
        await AttributeAsync(incident, change, HttpStatusCode.OK);

        Assert.That((await GetAsync("agent", incident)).TextOrNull("causedByChangeNumber"), Is.EqualTo(change));
        Assert.That((await GetAsync("requester", incident)).TextOrNull("causedByChangeNumber"), Is.Null);
    }

    [Test]
    public async Task CiTickets_ListOpenIncidents_ChangesToComeSoonestFirst_AndPastChangesWithTheirOutcome()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "app");
        var other = await g.CiAsync("virtual-machine", "other");
        var past = await ImplementedChangeAsync(vm, outcome: "failed");
        var later = await RaiseNormalAsync([vm]);
        var sooner = (await RaiseAsync(NormalBody([vm], window: (App.Clock.UtcNow.AddDays(3), App.Clock.UtcNow.AddDays(3).AddHours(1))))).Number();
        await RaiseNormalAsync([other]);
        var incident = (await LogAssignedAsync("App down " + Marker())).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").AddCiAsync("incidents", incident, new { ciId = vm }), HttpStatusCode.OK);
        var resolved = (await LogAssignedAsync("App slow " + Marker())).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").AddCiAsync("incidents", resolved, new { ciId = vm }), HttpStatusCode.OK);
        await ResolveAsync(resolved);
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(resolved, "close"), HttpStatusCode.OK);

        var tickets = await CiTicketsAsync(vm, "agent");

        Assert.That(tickets.GetProperty("openIncidents").EnumerateArray().Select(i => i.Text("number")), Is.EqualTo(new[] { incident }), "closed ones are left out");
        Assert.That(tickets.GetProperty("scheduledChanges").EnumerateArray().Select(c => c.Text("number")), Is.EqualTo(new[] { sooner, later }));
        var pastChanges = tickets.GetProperty("pastChanges").EnumerateArray().ToList();
        Assert.That(pastChanges.Select(c => (c.Text("number"), c.Text("outcome"), c.Text("kind"))), Is.EqualTo(new[] { (past, "failed", "change") }));
        Assert.That(tickets.GetProperty("pastChangeCount").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task CiTickets_RefusesRequesters_UnknownCis_AndOutOfRangeParameters()
    {
        var vm = await Graph().CiAsync("virtual-machine", "x");
        await IncidentApi.ExpectAsync(await App.Api("requester").GetAsync($"/api/v1/cis/{vm}/tickets"), HttpStatusCode.Forbidden);
        await IncidentApi.ExpectAsync(await Engineer.GetAsync("/api/v1/cis/987654321/tickets"), HttpStatusCode.NotFound);
        foreach (var bad in new[] { "pastChanges=101", "pastChanges=-1", "pastChanges=lots", "colour=red" })
            await IncidentApi.ExpectAsync(await Engineer.GetAsync($"/api/v1/cis/{vm}/tickets?{bad}"), HttpStatusCode.BadRequest);
        var none = await CiTicketsAsync(vm);
        Assert.That(none.GetProperty("pastChanges").GetArrayLength() + none.GetProperty("scheduledChanges").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task Changesets_FilteredByChangeNumber_AreTheWritesThatNamedIt()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "cache");
        var change = await ImplementedChangeAsync(vm);
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 3 }), HttpStatusCode.OK);

        var named = await IncidentApi.ExpectAsync(await ChangeManager.GetAsync($"/api/v1/cmdb/changesets?changeNumber={change.ToLowerInvariant()}"), HttpStatusCode.OK);

        var items = named.GetProperty("items").EnumerateArray().ToList();
        Assert.That(items.Select(s => (s.Text("changeNumber"), s.TextOrNull("unauthorisedReason"))), Is.EqualTo(new[] { (change, (string?)null) }));
        Assert.That(items[0].GetProperty("entries").EnumerateArray().Select(e => (e.Text("field"), e.TextOrNull("newValue"))), Is.EqualTo(new[] { ("criticality", (string?)"2") }));
        var none = await IncidentApi.ExpectAsync(await ChangeManager.GetAsync("/api/v1/cmdb/changesets?changeNumber=CHG9999999"), HttpStatusCode.OK);
        Assert.That(none.GetProperty("total").GetInt32(), Is.Zero);
        await IncidentApi.ExpectAsync(await ChangeManager.GetAsync($"/api/v1/cmdb/changesets?changeNumber={new string('C', 21)}"), HttpStatusCode.BadRequest);
    }
}
