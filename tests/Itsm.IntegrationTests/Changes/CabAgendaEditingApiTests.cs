using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// Editing a CAB meeting's agenda one item at a time through the API (POST /cab/meetings/{id}/agenda, DELETE
/// /cab/meetings/{id}/agenda/{changeNumber}): a change awaiting the CAB is put last, whenever it is planned; an undecided
/// one is taken off and the rest move up; and what a change not awaiting the CAB, a duplicate, a decided item, a closed
/// meeting, a bad or unknown number, a stale ETag and the wrong people get, each leaving the meeting as it was.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CabAgendaEditingApiTests(DbProvider provider) : CabFixture(provider)
{
    [Test]
    public async Task Add_WhenAChangeAwaitsTheCabOutsideThePeriod_PutsItLastAndAuditsIt()
    {
        var period = CabScene.Period(App, 1);
        var awaiting = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var later = await Scene.HighRiskChangeAsync(period.To.AddDays(1));
        var meeting = await Scene.PlanAsync(period);
        Assert.That(CabScene.Agenda(meeting), Is.EqualTo(new[] { awaiting }));

        var added = await AddAsync(meeting, later.ToLowerInvariant(), ifMatch: $"\"{Version(meeting)}\"");

        Assert.That(added.Status, Is.EqualTo(200), added.ToString());
        Assert.That(CabScene.Agenda(added.Json), Is.EqualTo(new[] { awaiting, later }));
        Assert.That(added.Json.GetProperty("agenda")[1].GetProperty("order").GetInt32(), Is.EqualTo(2));
        Assert.That(added.Response.Headers.ETag?.Tag, Is.EqualTo($"\"{Version(meeting) + 1}\""));
        Assert.That(added.Json.GetProperty("log").EnumerateArray().Select(e => e.Text("text")), Has.Some.EqualTo($"added {later} to the agenda"));
        Assert.That(added.Json.GetProperty("agenda")[1].GetProperty("mayRemove").GetBoolean(), Is.True);
        Assert.That(added.Json.GetProperty("rights").GetProperty("mayEditAgenda").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Add_WhenTheMeetingSitsAndTheOwnersHaveApproved_PutsTheChangeOn()
    {
        var period = CabScene.Period(App, 2);
        var number = await Scene.HighRiskChangeAsync(period.To.AddDays(1));
        await Scene.ApproveOwnersAsync(number);
        var meeting = await Scene.PlanAsync(period);
        await StartAsync(meeting);

        var added = await AddAsync(meeting, number);

        Assert.That(added.Status, Is.EqualTo(200), added.ToString());
        Assert.That(CabScene.Agenda(added.Json), Is.EqualTo(new[] { number }), "its CAB approvals are requested now: it awaits the CAB");
    }

    [Test]
    public async Task Add_WhenTheChangeIsOnTheAgendaAlready_Is409AndChangesNothing()
    {
        var period = CabScene.Period(App, 3);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);

        var again = await AddAsync(meeting, number);

        Assert.That((again.Status, again.IsProblem), Is.EqualTo((409, true)), again.ToString());
        Assert.That(again.Json.Text("rule"), Is.EqualTo("cab-item-on-agenda"));
        await AssertUnchangedAsync(meeting);
    }

    [TestCase("low-risk")]
    [TestCase("in-assessment")]
    [TestCase("rejected")]
    [TestCase("new")]
    public async Task Add_WhenTheChangeDoesNotAwaitTheCab_Is409AndChangesNothing(string what)
    {
        var period = CabScene.Period(App, 4);
        var start = period.To.AddDays(2);
        var number = what switch
        {
            "low-risk" => await Scene.LowRiskChangeAsync(start),
            "in-assessment" => await Scene.HighRiskChangeAsync(start, authorize: false),
            "rejected" => await RejectedAsync(start),
            _ => await RaiseAsync(),
        };
        var meeting = await Scene.PlanAsync(period, title: "Not awaiting " + what);

        var reply = await AddAsync(meeting, number);

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((409, true)), reply.ToString());
        Assert.That(reply.Json.Text("rule"), Is.EqualTo("cab-change-not-awaiting"));
        Assert.That(reply.Json.Text("detail"), Does.Contain(number));
        await AssertUnchangedAsync(meeting);
    }

    [TestCase("""{"changeNumber":"CHG9999999"}""", "changeNumber", "There is no change CHG9999999.")]
    [TestCase("""{"changeNumber":"INC0000001"}""", "changeNumber", "is not a change number")]
    [TestCase("""{"changeNumber":"CHG; DROP TABLE cab_meetings"}""", "changeNumber", "is not a change number")]
    [TestCase("""{"changeNumber":"   "}""", "changeNumber", null)]
    [TestCase("""{}""", "changeNumber", null)]
    [TestCase("""{"changeNumber":42}""", "changeNumber", null)]
    [TestCase("""{"changeNumber":"CHG0000001","order":1}""", "order", null)]
    public async Task Add_WhenTheBodyIsWrong_Is400WithTheFieldAndChangesNothing(string body, string field, string? message)
    {
        var meeting = await Scene.PlanAsync(CabScene.Period(App, 5), title: "Bad body");

        var reply = await App.Api("changemanager").SendAsync(HttpMethod.Post, AgendaPath(meeting), body);

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((400, true)), reply.ToString());
        var errors = reply.Json.GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(p => p.Name), Does.Contain(field), reply.ToString());
        if (message is not null) Assert.That(errors.GetProperty(field)[0].GetString(), Does.Contain(message));
        await AssertUnchangedAsync(meeting);
    }

    [Test]
    public async Task Remove_WhenUndecided_TakesItOffAndTheRestMoveUp()
    {
        var period = CabScene.Period(App, 6);
        var a = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var b = await Scene.HighRiskChangeAsync(period.From.AddDays(2));
        var c = await Scene.HighRiskChangeAsync(period.From.AddDays(3));
        var meeting = await Scene.PlanAsync(period);

        var removed = await RemoveAsync(meeting, a.ToLowerInvariant(), ifMatch: $"\"{Version(meeting)}\"");

        Assert.That(removed.Status, Is.EqualTo(200), removed.ToString());
        Assert.That(removed.Json.GetProperty("agenda").EnumerateArray().Select(i => (i.Text("changeNumber"), i.GetProperty("order").GetInt32())),
            Is.EqualTo(new[] { (b, 1), (c, 2) }));
        Assert.That(removed.Json.GetProperty("log").EnumerateArray().Select(e => e.Text("text")), Has.Some.EqualTo($"took {a} off the agenda"));
        Assert.That(await Scene.StateAsync(a), Is.EqualTo("authorize"), "the change itself is untouched: it still awaits the CAB");
        var readded = await AddAsync(removed.Json, a);
        Assert.That(CabScene.Agenda(readded.Json), Is.EqualTo(new[] { b, c, a }), "and it can go back on, last");
    }

    [Test]
    public async Task Remove_WhenTheBoardHasDecided_Is409AndTheDecisionStays()
    {
        var period = CabScene.Period(App, 7);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);
        await StartAsync(meeting);
        Ok(await App.Api("cabmember").SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{Id(meeting)}/items/{number}/decision",
            """{"decision":"defer","notes":"Vendor to confirm."}"""));
        var before = await GetAsync(meeting);

        var reply = await RemoveAsync(meeting, number);

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((409, true)), reply.ToString());
        Assert.That(reply.Json.Text("rule"), Is.EqualTo("cab-item-decided"));
        var after = await GetAsync(meeting);
        Assert.That(after.GetProperty("version").GetInt32(), Is.EqualTo(before.GetProperty("version").GetInt32()));
        Assert.That(after.GetProperty("agenda")[0].GetProperty("decision").Text("decision"), Is.EqualTo("deferred"));
        Assert.That(after.GetProperty("agenda")[0].GetProperty("mayRemove").GetBoolean(), Is.False);
    }

    [TestCase("CHG9999999")]
    [TestCase("not-a-number")]
    [TestCase("INC0000001")]
    public async Task Remove_WhenTheChangeIsNotOnTheAgenda_Is404AndChangesNothing(string number)
    {
        var period = CabScene.Period(App, 8);
        await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period, title: "Remove " + number);

        var reply = await RemoveAsync(meeting, number);

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((404, true)), reply.ToString());
        await AssertUnchangedAsync(meeting);
    }

    [Test]
    public async Task EditAgenda_WhenTheMeetingIsClosed_Is409()
    {
        var (number, other, meeting) = await OneOnTheAgendaAsync(9);
        await StartAsync(meeting);
        var closed = await IncidentApi.ExpectAsync(await App.Api("changemanager").PostAsync($"/api/v1/cab/meetings/{Id(meeting)}/close", null), HttpStatusCode.OK);

        var add = await AddAsync(meeting, other);
        var remove = await RemoveAsync(meeting, number);

        Assert.That(new[] { add.Status, remove.Status }, Is.All.EqualTo(409), $"{add}\n{remove}");
        Assert.That(new[] { add.Json.Text("rule"), remove.Json.Text("rule") }, Is.All.EqualTo("cab-meeting-closed"));
        Assert.That(closed.GetProperty("rights").GetProperty("mayEditAgenda").GetBoolean(), Is.False);
        await AssertUnchangedAsync(closed);
    }

    [Test]
    public async Task EditAgenda_WhenIfMatchIsStale_Is412()
    {
        var (number, other, meeting) = await OneOnTheAgendaAsync(10);
        var stale = $"\"{Version(meeting)}\"";
        Ok(await App.Api("changemanager").SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{Id(meeting)}/minutes", """{"minutes":"Draft"}"""));
        var current = await GetAsync(meeting);

        var add = await AddAsync(meeting, other, stale);
        var remove = await RemoveAsync(meeting, number, stale);

        Assert.That(new[] { add.Status, remove.Status }, Is.All.EqualTo(412), $"{add}\n{remove}");
        await AssertUnchangedAsync(current);
    }

    [TestCase("cabmember", 403)]
    [TestCase("engineer", 403)]
    [TestCase("agent", 403)]
    [TestCase("problemmanager", 403)]
    [TestCase("requester", 403)]
    public async Task EditAgenda_WhenNotAChangeManager_IsForbiddenAndChangesNothing(string user, int expected)
    {
        var (number, other, meeting) = await OneOnTheAgendaAsync(11, "Managers only " + user);

        var add = await AddAsync(meeting, other, user: user);
        var remove = await RemoveAsync(meeting, number, user: user);

        Assert.That(new[] { (add.Status, add.IsProblem), (remove.Status, remove.IsProblem) }, Is.All.EqualTo((expected, true)), $"{add}\n{remove}");
        await AssertUnchangedAsync(meeting);
        var view = (await App.Api(user == "requester" ? "agent" : user).SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{Id(meeting)}", null)).Json;
        Assert.That(view.GetProperty("rights").GetProperty("mayEditAgenda").GetBoolean(), Is.False);
        Assert.That(view.GetProperty("agenda").EnumerateArray().Select(i => i.GetProperty("mayRemove").GetBoolean()), Is.All.False);
    }

    [Test]
    public async Task EditAgenda_WhenRequesterNamesAMeetingThatDoesNotExist_Gets403LikeOneThatDoes_AndAManagerGets404()
    {
        var missing = Guid.NewGuid();
        var requester = App.Api("requester");
        var manager = App.Api("changemanager");

        var replies = new[]
        {
            await requester.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{missing}/agenda", """{"changeNumber":"CHG0000001"}"""),
            await requester.SendAsync(HttpMethod.Delete, $"/api/v1/cab/meetings/{missing}/agenda/CHG0000001", null),
            await manager.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{missing}/agenda", """{"changeNumber":"CHG0000001"}"""),
            await manager.SendAsync(HttpMethod.Delete, $"/api/v1/cab/meetings/{missing}/agenda/CHG0000001", null),
        };

        Assert.That(replies.Select(r => r.Status), Is.EqualTo(new[] { 403, 403, 404, 404 }), string.Join("\n", replies.Select(r => r.ToString())));
        Assert.That(replies.Select(r => r.IsProblem), Is.All.True);
    }

    /// <summary>A high-risk change the CAB has rejected: back in New, its round over.</summary>
    private async Task<string> RejectedAsync(DateTimeOffset start)
    {
        var number = await Scene.HighRiskChangeAsync(start);
        await Scene.ApproveOwnersAsync(number);
        await Scene.DecideAsync(number, "cabmember", "cab", "reject", "Not without a tested backout.");
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("new"));
        return number;
    }

    /// <summary>A normal change left in New: nobody has been asked to approve it.</summary>
    private async Task<string> RaiseAsync()
    {
        var reply = await App.Api("engineer").SendAsync(HttpMethod.Post, "/api/v1/changes",
            JsonSerializer.Serialize(new { type = "normal", shortDescription = "Agenda test: a change still in New" }));
        Assert.That(reply.Status, Is.EqualTo(201), reply.ToString());
        return reply.Json.GetProperty("number").GetString()!;
    }

    private static void Ok(Reply reply) => Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());

    private static Guid Id(JsonElement meeting) => meeting.GetProperty("id").GetGuid();
    private static int Version(JsonElement meeting) => meeting.GetProperty("version").GetInt32();
    private static string AgendaPath(JsonElement meeting) => $"/api/v1/cab/meetings/{Id(meeting)}/agenda";

    private async Task<Reply> AddAsync(JsonElement meeting, string number, string? ifMatch = null, string user = "changemanager") =>
        await App.Api(user).SendAsync(HttpMethod.Post, AgendaPath(meeting), JsonSerializer.Serialize(new { changeNumber = number }),
            configure: ifMatch is null ? null : r => r.Headers.TryAddWithoutValidation("If-Match", ifMatch));

    private async Task<Reply> RemoveAsync(JsonElement meeting, string number, string? ifMatch = null, string user = "changemanager") =>
        await App.Api(user).SendAsync(HttpMethod.Delete, $"{AgendaPath(meeting)}/{Uri.EscapeDataString(number)}", null,
            configure: ifMatch is null ? null : r => r.Headers.TryAddWithoutValidation("If-Match", ifMatch));

    /// <summary>A meeting for the slot's period with one change awaiting the CAB on its agenda, and another awaiting it after the period.</summary>
    private async Task<(string OnAgenda, string Other, JsonElement Meeting)> OneOnTheAgendaAsync(int slot, string title = "Weekly CAB")
    {
        var period = CabScene.Period(App, slot);
        var onAgenda = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var other = await Scene.HighRiskChangeAsync(period.To.AddDays(1));
        return (onAgenda, other, await Scene.PlanAsync(period, title: title));
    }

    private Task<JsonElement> StartAsync(JsonElement meeting) => Scene.StartAsync(meeting);

    private Task<JsonElement> GetAsync(JsonElement meeting) => Scene.MeetingAsync(meeting, "admin");

    /// <summary>The meeting still has the version and agenda it had in <paramref name="seen"/>.</summary>
    private async Task AssertUnchangedAsync(JsonElement seen)
    {
        var now = await GetAsync(seen);
        Assert.That((Version(now), string.Join(",", CabScene.Agenda(now))), Is.EqualTo((Version(seen), string.Join(",", CabScene.Agenda(seen)))),
            "a refused edit changes nothing");
    }
}
