using System.Net;
using System.Text.Json;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.IntegrationTests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>
/// The lifecycle through the API: allowed transitions per role, required fields, reopen window (fake clock),
/// major incidents, the caller's answer, and auto-close. Tests that move the clock create their own incidents
/// and only look at those.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class IncidentTransitionApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private async Task<IReadOnlyList<string>> AllowedAsync(string user, string number)
    {
        var list = await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/incidents/{number}/transitions"), HttpStatusCode.OK);
        return list.EnumerateArray().Select(t => t.Text("name")).ToList();
    }

    private async Task<int> CloseResolvedIncidentsAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ApplyTimerTransitions());
    }

    [Test]
    public async Task GetAllowedTransitions_WhenRequesterOrAgentAsks_OffersWhatTheirRoleAllows()
    {
        var number = (await LogAssignedAsync("Teams calls drop", caller: "requester")).Number();

        Assert.That(await AllowedAsync("agent", number), Is.EqualTo(new[] { "start", "put-on-hold", "resolve", "cancel" }));
        Assert.That(await AllowedAsync("requester", number), Is.Empty);

        await ResolveAsync(number);
        Assert.That(await AllowedAsync("agent", number), Is.EquivalentTo(new[] { "reopen", "close" }));
        Assert.That(await AllowedAsync("requester", number), Is.EqualTo(new[] { "reopen" }));
    }

    [Test]
    public async Task GetAllowedTransitions_WhenUnassigned_LeavesOutTransitionsThatNeedAnAssignee()
    {
        var number = (await LogAsync("agent", new { shortDescription = "Printer toner low" })).Number();

        var allowed = await AllowedAsync("agent", number);

        Assert.That(allowed, Is.EquivalentTo(new[] { "put-on-hold", "cancel" }));
    }

    [Test]
    public async Task TransitionIncident_WhenResolveWithoutFields_Returns400WithFieldErrorsAndStaysNew()
    {
        var number = (await LogAssignedAsync("VPN refuses login")).Number();

        var response = await App.Api("agent").TransitionAsync(number, "resolve");

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EquivalentTo(new[] { "fields.resolutionCode", "fields.resolutionNotes" }));
        Assert.That((await GetAsync("agent", number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task TransitionIncident_WhenResolutionCodeUnknown_Returns400OnThatField()
    {
        var number = (await LogAssignedAsync("VPN refuses login")).Number();

        var response = await App.Api("agent").TransitionAsync(number, "resolve", new { resolutionCode = "fixed-by-magic", resolutionNotes = "Poof." });

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EqualTo(new[] { "fields.resolutionCode" }));
    }

    [Test]
    public async Task TransitionIncident_WhenTransitionUnknown_Returns400()
    {
        var number = (await LogAssignedAsync("VPN refuses login")).Number();

        var response = await App.Api("agent").TransitionAsync(number, "teleport");

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EqualTo(new[] { "transition" }));
    }

    [TestCase("agent", "close")]
    [TestCase("agent", "reopen")]
    public async Task TransitionIncident_WhenNotPossibleFromState_Returns409AndStaysNew(string user, string transition)
    {
        var number = (await LogAssignedAsync("Calendar not syncing", caller: "requester")).Number();

        var response = await App.Api(user).TransitionAsync(number, transition, new { });

        var problem = await IncidentApi.ExpectAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem.Text("rule"), Is.EqualTo("transition-not-allowed"));
        Assert.That((await GetAsync("agent", number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task TransitionIncident_WhenPossibleButNotForTheCallersRoles_Returns403AndChangesNothing()
    {
        var number = (await LogAssignedAsync("Calendar not syncing", caller: "requester")).Number();
        Assert.That((await App.Api("agent").TransitionAsync(number, "start", new { })).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await App.Api("requester").TransitionAsync(number, "resolve", new { resolutionCode = "solved-permanently", resolutionNotes = "Done." });

        await IncidentApi.ExpectAsync(response, HttpStatusCode.Forbidden);
        Assert.That((await GetAsync("agent", number)).Text("state"), Is.EqualTo("in-progress"));
    }

    [Test]
    public async Task TransitionIncident_WhenResolvedThenReopenedByCallerWithinWindow_IsInProgressWithReopenCountOne()
    {
        var number = (await LogAssignedAsync("SAP login fails", caller: "requester")).Number();
        var resolved = await ResolveAsync(number, "solved-workaround", "Cleared the SSO cookie.");
        Assert.That(resolved.Text("state"), Is.EqualTo("resolved"));
        Assert.That(resolved.Text("resolutionCode"), Is.EqualTo("solved-workaround"));
        App.Clock.Advance(TimeSpan.FromDays(6));

        var response = await App.Api("requester").TransitionAsync(number, "reopen", new { reopenReason = "It happens again." });

        var reopened = await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
        Assert.That(reopened.Text("state"), Is.EqualTo("in-progress"));
        Assert.That(reopened.GetProperty("reopenCount").GetInt32(), Is.EqualTo(1));
        Assert.That(reopened.TextOrNull("resolutionCode"), Is.Null);
        Assert.That(reopened.GetProperty("resolvedAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task TransitionIncident_WhenCallerReopensAfterTheWindow_Returns409AndStaysResolved()
    {
        var number = (await LogAssignedAsync("SAP login fails", caller: "requester")).Number();
        await ResolveAsync(number);
        App.Clock.Advance(TimeSpan.FromDays(8));

        var response = await App.Api("requester").TransitionAsync(number, "reopen");

        await IncidentApi.ExpectAsync(response, HttpStatusCode.Conflict);
        var incident = await GetAsync("requester", number);
        Assert.That(incident.Text("state"), Is.EqualTo("resolved"));
        Assert.That(incident.GetProperty("reopenCount").GetInt32(), Is.Zero);
        Assert.That(await AllowedAsync("requester", number), Is.Empty);
    }

    [Test]
    public async Task TransitionIncident_WhenPutOnHoldCarriesAResolution_Returns400AndResolvesNeitherItNorItsChildren()
    {
        // The review's reproduction: put-on-hold with a resolution's fields resolved a major incident and its children.
        var parent = (await LogAssignedAsync("Core switch down")).Number();
        var child = (await LogAssignedAsync("No network on floor 3")).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(child, new { parentIncidentNumber = parent }), HttpStatusCode.OK);

        var response = await App.Api("agent").TransitionAsync(parent, "put-on-hold",
            new { holdReason = "awaiting-vendor", resolutionCode = "solved-permanently", resolutionNotes = "x" });

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EquivalentTo(new[] { "fields.resolutionCode", "fields.resolutionNotes" }));
        var (p, c) = (await GetAsync("agent", parent), await GetAsync("agent", child));
        Assert.That((p.Text("state"), p.TextOrNull("resolutionCode"), c.Text("state"), c.TextOrNull("resolutionCode")),
            Is.EqualTo(("new", (string?)null, "new", (string?)null)));
    }

    [Test]
    public async Task TransitionIncident_WhenMajorIncidentResolved_ResolvesItsLinkedChildren()
    {
        var parent = (await LogAssignedAsync("Core switch down: whole building offline")).Number();
        var child1 = (await LogAsync("requester", new { shortDescription = "No network at my desk" })).Number();
        var child2 = (await LogAsync("agent", new { shortDescription = "Printers unreachable" })).Number();
        var unrelated = (await LogAsync("agent", new { shortDescription = "Stapler jammed" })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(child2, "put-on-hold", new { holdReason = "awaiting-change" }), HttpStatusCode.OK);
        foreach (var child in new[] { child1, child2 })
        {
            var linked = await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(child, new { parentIncidentNumber = parent.ToLowerInvariant() }), HttpStatusCode.OK);
            Assert.That(linked.Text("parentIncidentNumber"), Is.EqualTo(parent));
        }
        Assert.That((await GetAsync("agent", parent)).GetProperty("childIncidentNumbers").EnumerateArray().Select(n => n.GetString()),
            Is.EquivalentTo(new[] { child1, child2 }));

        await ResolveAsync(parent, "solved-permanently", "Replaced the core switch.");

        foreach (var child in new[] { child1, child2 })
        {
            var resolved = await GetAsync("agent", child);
            Assert.That(resolved.Text("state"), Is.EqualTo("resolved"), child);
            Assert.That(resolved.Text("resolutionCode"), Is.EqualTo("solved-permanently"), child);
            Assert.That(resolved.Text("resolutionNotes"), Does.Contain(parent).And.Contain("Replaced the core switch."), child);
        }
        Assert.That((await GetAsync("agent", unrelated)).Text("state"), Is.EqualTo("new"));
        Assert.That((await GetAsync("requester", child1)).Text("state"), Is.EqualTo("resolved"));
    }

    [Test]
    public async Task UpdateIncident_WhenParentNumberUnknownOrSelf_IsRefused()
    {
        var number = (await LogAsync("agent", new { shortDescription = "Lonely incident" })).Number();

        Assert.That(await IncidentApi.FieldErrorsAsync(await App.Api("agent").PatchJsonAsync(number, new { parentIncidentNumber = "INC9999999" })),
            Is.EqualTo(new[] { "parentIncidentNumber" }));
        var self = await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { parentIncidentNumber = number }), HttpStatusCode.Conflict);
        Assert.That(self.Text("rule"), Is.EqualTo("parent-self"));
    }

    [Test]
    public async Task CommentOnIncident_WhenCallerAnswersWhileAwaitingCaller_MovesBackToInProgress()
    {
        var number = (await LogAssignedAsync("Cannot print to PDF", caller: "requester")).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(number, "start"), HttpStatusCode.OK);
        var onHold = await IncidentApi.ExpectAsync(
            await App.Api("agent").TransitionAsync(number, "put-on-hold", new { holdReason = "awaiting-caller" }), HttpStatusCode.OK);
        Assert.That((onHold.Text("state"), onHold.Text("holdReason")), Is.EqualTo(("on-hold", "awaiting-caller")));
        await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(number, "Which printer do you use?"), HttpStatusCode.Created);
        Assert.That((await GetAsync("agent", number)).Text("state"), Is.EqualTo("on-hold"), "the agent's own comment changes nothing");

        await IncidentApi.ExpectAsync(await App.Api("requester").CommentAsync(number, "The one on floor 2."), HttpStatusCode.Created);

        var incident = await GetAsync("agent", number);
        Assert.That(incident.Text("state"), Is.EqualTo("in-progress"));
        Assert.That(incident.TextOrNull("holdReason"), Is.Null);
    }

    [Test]
    public async Task CloseResolvedIncidents_WhenResolvedLongerThanTheDelay_ClosesThoseAndOnlyThose()
    {
        var old = (await LogAssignedAsync("Old resolved incident")).Number();
        var recent = (await LogAssignedAsync("Recently resolved incident")).Number();
        var open = (await LogAssignedAsync("Still open incident")).Number();
        await ResolveAsync(old);
        App.Clock.Advance(TimeSpan.FromDays(2));
        await ResolveAsync(recent);
        App.Clock.Advance(TimeSpan.FromDays(6));

        var closed = await CloseResolvedIncidentsAsync();

        Assert.That(closed, Is.GreaterThanOrEqualTo(1));
        var closedIncident = await GetAsync("agent", old);
        Assert.That(closedIncident.Text("state"), Is.EqualTo("closed"));
        Assert.That(closedIncident.GetProperty("closedAt").GetDateTimeOffset(), Is.EqualTo(App.Clock.UtcNow).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That((await GetAsync("agent", recent)).Text("state"), Is.EqualTo("resolved"));
        Assert.That((await GetAsync("agent", open)).Text("state"), Is.EqualTo("new"));

        App.Clock.Advance(TimeSpan.FromDays(2));
        await CloseResolvedIncidentsAsync();
        Assert.That((await GetAsync("agent", recent)).Text("state"), Is.EqualTo("closed"));
        Assert.That(await CloseResolvedIncidentsAsync(), Is.Zero, "nothing left to close");
    }

    [Test]
    public async Task UpdateIncident_WhenIncidentClosed_Returns409AndChangesNothing()
    {
        var number = (await LogAssignedAsync("Closed and done")).Number();
        await ResolveAsync(number);
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(number, "close"), HttpStatusCode.OK);

        var response = await App.Api("agent").PatchJsonAsync(number, new { shortDescription = "Rewritten after closing", impact = 1 });

        var problem = await IncidentApi.ExpectAsync(response, HttpStatusCode.Conflict);
        Assert.That(problem.Text("rule"), Is.EqualTo("ticket-closed"));
        var incident = await GetAsync("agent", number);
        Assert.That(incident.Text("shortDescription"), Is.EqualTo("Closed and done"));
        Assert.That(incident.GetProperty("impact").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task TransitionIncident_WhenIncidentClosed_Returns409()
    {
        var number = (await LogAssignedAsync("Closed and done")).Number();
        await ResolveAsync(number);
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(number, "close"), HttpStatusCode.OK);

        var reopen = await App.Api("agent").TransitionAsync(number, "reopen");
        var comment = await App.Api("agent").CommentAsync(number, "Anything else?");

        Assert.That((await IncidentApi.ExpectAsync(reopen, HttpStatusCode.Conflict)).Text("rule"), Is.EqualTo("ticket-closed"));
        Assert.That((await IncidentApi.ExpectAsync(comment, HttpStatusCode.Conflict)).Text("rule"), Is.EqualTo("ticket-closed"));
        Assert.That(await AllowedAsync("agent", number), Is.Empty);
    }
}
