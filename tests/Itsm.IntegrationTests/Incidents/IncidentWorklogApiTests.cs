using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>Comments and work notes (who may write and read which) and the field-level history.</summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class IncidentWorklogApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private async Task<IReadOnlyList<string>> WorklogTextsAsync(string user, string number)
    {
        var list = await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/incidents/{number}/comments"), HttpStatusCode.OK);
        return list.EnumerateArray().Select(w => w.Text("text")).ToList();
    }

    private async Task<IReadOnlyList<JsonElement>> HistoryAsync(string user, string number)
    {
        var list = await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/incidents/{number}/history"), HttpStatusCode.OK);
        return list.EnumerateArray().ToList();
    }

    [Test]
    public async Task ListIncidentWorklog_WhenRequesterReads_SeesCommentsButNoWorkNotes()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Outlook asks for my password" })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(number, "We are looking into it."), HttpStatusCode.Created);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(number, "Probably the expired MFA token.", workNote: true), HttpStatusCode.Created);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("requester").CommentAsync(number, "Thanks!"), HttpStatusCode.Created);

        Assert.That(await WorklogTextsAsync("requester", number), Is.EqualTo(new[] { "We are looking into it.", "Thanks!" }));
        Assert.That(await WorklogTextsAsync("agent", number),
            Is.EqualTo(new[] { "We are looking into it.", "Probably the expired MFA token.", "Thanks!" }));
    }

    [Test]
    public async Task CommentOnIncident_WhenRequesterPostsWorkNote_Returns403AndAddsNothing()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Outlook asks for my password" })).Number();

        var response = await App.Api("requester").CommentAsync(number, "Let me in the back room", workNote: true);

        await IncidentApi.ExpectAsync(response, HttpStatusCode.Forbidden);
        Assert.That(await WorklogTextsAsync("agent", number), Is.Empty);
    }

    [Test]
    public async Task CommentOnIncident_WhenTextMissingOrBlank_Returns400OnText()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Outlook asks for my password" })).Number();

        Assert.That(await IncidentApi.FieldErrorsAsync(await App.Api("requester").CommentAsync(number, "   ")), Is.EqualTo(new[] { "text" }));
        Assert.That(await WorklogTextsAsync("agent", number), Is.Empty);
    }

    [Test]
    public async Task CommentOnIncident_WhenAgentPosts_ReturnsEntryWithAuthorName()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Outlook asks for my password" })).Number();

        var entry = await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(number, "Please restart Outlook."), HttpStatusCode.Created);

        Assert.That(entry.Text("text"), Is.EqualTo("Please restart Outlook."));
        Assert.That(entry.Text("authorName"), Is.EqualTo("Adam Agent"));
    }

    [Test]
    public async Task UpdateIncident_WhenRequesterPatches_Returns403AndChangesNothing()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Outlook asks for my password" })).Number();

        var response = await App.Api("requester").PatchJsonAsync(number, new { impact = 1 });

        await IncidentApi.ExpectAsync(response, HttpStatusCode.Forbidden);
        Assert.That((await GetAsync("requester", number)).GetProperty("impact").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task GetIncidentHistory_WhenFieldsChanged_ListsEachChangeOldToNewWithActorNames()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Screen flickers", impact = 3, urgency = 3 })).Number();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new
        {
            shortDescription = "Screen flickers on docking station",
            impact = 2,
            urgency = 1,
            assignmentGroupId = await GroupIdAsync("Service Desk"),
            assigneeId = await UserIdAsync("agent"),
        }), HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("admin").PatchJsonAsync(number, new { priorityOverride = 1, priorityOverrideReason = "Trading floor" }), HttpStatusCode.OK);

        var history = await HistoryAsync("agent", number);

        var rows = history.Select(h => (h.Text("field"), h.TextOrNull("oldValue"), h.TextOrNull("newValue"), h.Text("actorName"))).ToList();
        Assert.That(rows, Is.SupersetOf(new (string, string?, string?, string)[]
        {
            ("number", null, number, "Rita Requester"),
            ("requester", null, "Rita Requester", "Rita Requester"),
            ("state", null, "New", "Rita Requester"),
            ("priority", null, "P4 Low", "Rita Requester"),
            ("shortDescription", "Screen flickers", "Screen flickers on docking station", "Adam Agent"),
            ("impact", "3 - Low", "2 - Medium", "Adam Agent"),
            ("urgency", "3 - Low", "1 - High", "Adam Agent"),
            ("priority", "P4 Low", "P2 High", "Adam Agent"),
            ("assignmentGroup", null, "Service Desk", "Adam Agent"),
            ("assignee", null, "Adam Agent", "Adam Agent"),
            ("priorityOverrideReason", null, "Trading floor", "Alice Admin"),
            ("priority", "P2 High", "P1 Critical", "Alice Admin"),
        }));
        var times = history.Select(h => h.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.That(times, Is.Ordered);
        Assert.That(rows.IndexOf(("priority", "P4 Low", "P2 High", "Adam Agent")),
            Is.LessThan(rows.IndexOf(("priority", "P2 High", "P1 Critical", "Alice Admin"))), "oldest first");
    }

    [Test]
    public async Task GetIncidentHistory_WhenRequesterReads_HidesTheDesksInternalFields()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Screen flickers", impact = 3, urgency = 3 })).Number();
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new
        {
            assignmentGroupId = await GroupIdAsync("Service Desk"),
            assigneeId = await UserIdAsync("agent"),
        }), HttpStatusCode.OK);
        App.Clock.Advance(TimeSpan.FromMinutes(1));
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { assignmentGroupId = await GroupIdAsync("Network Operations"), assigneeId = (string?)null }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("admin").PatchJsonAsync(number, new { priorityOverride = 1, priorityOverrideReason = "VIP caller" }), HttpStatusCode.OK);

        var asRequester = (await HistoryAsync("requester", number)).Select(h => h.Text("field")).ToList();
        var asAgent = (await HistoryAsync("agent", number)).Select(h => h.Text("field")).ToList();

        Assert.That(asAgent, Does.Contain("priorityOverrideReason").And.Contain("reassignmentCount"), "the desk sees its own reasoning");
        Assert.That(asRequester, Does.Not.Contain("priorityOverrideReason").And.Not.Contain("reassignmentCount"));
        Assert.That(asRequester, Does.Contain("priority"), "the priority itself is not internal");
        var details = await IncidentApi.ExpectAsync(await App.Api("requester").GetAsync($"/api/v1/incidents/{number}"), HttpStatusCode.OK);
        Assert.That((details.TextOrNull("priorityOverrideReason"), details.GetProperty("reassignmentCount").ValueKind),
            Is.EqualTo(((string?)null, System.Text.Json.JsonValueKind.Null)), "nor in the incident itself");
    }

    [Test]
    public async Task GetIncidentHistory_WhenChangesShareOneMoment_KeepsTheOrderTheyWereMadeIn()
    {
        // The test clock stands still, so every change below has the same time: only the order they were made in
        // can sort them.
        var number = (await LogAsync("requester", new { shortDescription = "Docking station drops the network", category = "network" })).Number();
        for (var round = 0; round < 3; round++)
        {
            await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { impact = 2 - round % 2 }), HttpStatusCode.OK);
            await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { urgency = 2 - round % 2 }), HttpStatusCode.OK);
        }

        var history = await HistoryAsync("agent", number);

        Assert.That(history.Select(h => h.GetProperty("at").GetDateTimeOffset()).Distinct().Count(), Is.EqualTo(1), "one moment");
        Assert.That(history[0].Text("field"), Is.EqualTo("number"));
        var later = history.Where(h => h.Text("field") is "impact" or "urgency" && h.TextOrNull("oldValue") is not null)
            .Select(h => (h.Text("field"), h.TextOrNull("oldValue"), h.TextOrNull("newValue"))).ToList();
        Assert.That(later, Is.EqualTo(new (string, string?, string?)[]
        {
            ("impact", "3 - Low", "2 - Medium"), ("urgency", "3 - Low", "2 - Medium"),
            ("impact", "2 - Medium", "1 - High"), ("urgency", "2 - Medium", "1 - High"),
            ("impact", "1 - High", "2 - Medium"), ("urgency", "1 - High", "2 - Medium"),
        }));
    }

    [Test]
    public async Task GetIncidentHistory_WhenOpened_HasNoMadeUpOldValues()
    {
        var number = (await LogAsync("requester", new { shortDescription = "Mouse wheel stuck", impact = 2, urgency = 3 })).Number();

        var history = await HistoryAsync("requester", number);

        Assert.That(history.Select(h => h.TextOrNull("oldValue")), Is.All.Null);
        Assert.That(history.Select(h => h.Text("field")), Is.SupersetOf(new[] { "number", "state", "shortDescription", "impact", "urgency", "priority" }));
    }

    [Test]
    public async Task GetIncidentHistory_WhenPatchChangesNothing_AddsNoEntryAndKeepsVersion()
    {
        var logged = await LogAsync("requester", new { shortDescription = "Mouse wheel stuck", impact = 2 });
        var number = logged.Number();
        var before = (await HistoryAsync("agent", number)).Count;

        var same = await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { shortDescription = "Mouse wheel stuck", impact = 2 }), HttpStatusCode.OK);

        Assert.That(await HistoryAsync("agent", number), Has.Count.EqualTo(before));
        Assert.That(same.GetProperty("version").GetInt32(), Is.EqualTo(logged.GetProperty("version").GetInt32()));
    }
}
