using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// The CAB meeting through the API: the agenda built from the changes awaiting the CAB in the period, the workbench's
/// view of each change, decisions that decide the member's CAB approval and move the change, minutes, closing, and what
/// the wrong people, a closed meeting and a stale ETag get.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CabMeetingApiTests(DbProvider provider) : CabFixture(provider)
{
    [Test]
    public async Task Plan_WhenChangesAwaitTheCab_PutsOnlyThoseStartingInThePeriodOnTheAgendaInStartOrder()
    {
        var period = CabScene.Period(App, 1);
        var later = await Scene.HighRiskChangeAsync(period.From.AddDays(3));
        var sooner = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var outside = await Scene.HighRiskChangeAsync(period.To.AddHours(1));
        var lowRisk = await Scene.LowRiskChangeAsync(period.From.AddDays(2));
        var inAssessment = await Scene.HighRiskChangeAsync(period.From.AddDays(2), authorize: false);
        var ownersApproved = await Scene.HighRiskChangeAsync(period.From.AddDays(4));
        await Scene.ApproveOwnersAsync(ownersApproved);
        Assert.That(await Scene.StateAsync(lowRisk), Is.EqualTo("authorize"), "the low-risk change is being authorised, by its owners only");

        var meeting = await Scene.PlanAsync(period);

        Assert.That(CabScene.Agenda(meeting), Is.EqualTo(new[] { sooner, later, ownersApproved }),
            $"awaiting the CAB in the period: not {outside} (later), {lowRisk} (no CAB approval) or {inAssessment} (not being authorised)");
        Assert.That(meeting.GetProperty("agenda").EnumerateArray().Select(i => i.GetProperty("order").GetInt32()), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That((meeting.Text("state"), meeting.GetProperty("version").GetInt32()), Is.EqualTo(("planned", 1)));
    }

    [Test]
    public async Task Plan_WhenChangeNumbersAreGiven_AddsThemAfterTheAwaitingOnesAndRefusesUnknownOnes()
    {
        var period = CabScene.Period(App, 2);
        var awaiting = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var extra = await Scene.LowRiskChangeAsync(period.From.AddDays(40));

        var meeting = await Scene.PlanAsync(period, [extra.ToLowerInvariant(), awaiting]);
        Assert.That(CabScene.Agenda(meeting), Is.EqualTo(new[] { awaiting, extra }), "each change once, the named one after the awaiting ones");

        var bad = await App.Api("changemanager").PostAsJsonAsync("/api/v1/cab/meetings", new
        {
            title = "Bad", startsAt = CabScene.Iso(period.From), endsAt = CabScene.Iso(period.From.AddHours(1)),
            periodFrom = CabScene.Iso(period.From), periodTo = CabScene.Iso(period.To), changeNumbers = new[] { "CHG9999999", "INC0000001" },
        });
        var problem = await IncidentApi.ExpectAsync(bad, HttpStatusCode.BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("changeNumbers").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(messages, Has.Some.Contains("CHG9999999").And.Some.Contains("INC0000001"), problem.ToString());
    }

    [Test]
    public async Task Plan_WhenBodyIsWrong_AnswersFieldErrorsForEveryField()
    {
        var reply = await App.Api("changemanager").SendAsync(HttpMethod.Post, "/api/v1/cab/meetings",
            """{"title":" ","startsAt":"2030-01-02T10:00:00Z","endsAt":"2030-01-02T09:00:00Z","periodFrom":"2030-01-01T00:00:00Z","periodTo":"yesterday","agenda":[]}""");

        Assert.That(reply.Status, Is.EqualTo(400), reply.ToString());
        Assert.That(reply.Json.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "title", "periodTo", "agenda" }));
    }

    [Test]
    public async Task Get_WhenAFulfillerOpensTheMeeting_ShowsEachChangeWithRiskBlastRadiusApprovalsAndEarlierDecisions()
    {
        var period = CabScene.Period(App, 3);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var earlier = await Scene.PlanAsync(period, title: "Earlier CAB");
        await Scene.StartAsync(earlier);
        await DecideAsync(earlier, number, "cabmember", "defer", "Needs the vendor's sign-off.", HttpStatusCode.OK);
        await Scene.ApproveOwnersAsync(number);
        var starts = App.Clock.UtcNow.AddDays(2);
        var meeting = await IncidentApi.ExpectAsync(await App.Api("changemanager").PostAsJsonAsync("/api/v1/cab/meetings", new
        {
            title = "Next CAB", startsAt = CabScene.Iso(starts), endsAt = CabScene.Iso(starts.AddHours(1)),
            periodFrom = CabScene.Iso(period.From), periodTo = CabScene.Iso(period.To),
        }), HttpStatusCode.Created);

        var got = await App.Api("agent").GetAsync($"/api/v1/cab/meetings/{meeting.GetProperty("id").GetGuid()}");
        var view = await IncidentApi.ExpectAsync(got, HttpStatusCode.OK);

        Assert.That(got.Headers.ETag?.Tag, Is.EqualTo($"\"{view.GetProperty("version").GetInt32()}\""));
        var item = view.GetProperty("agenda").EnumerateArray().Single();
        Assert.That((item.Text("changeNumber"), item.Text("changeType"), item.Text("changeState")), Is.EqualTo((number, "normal", "authorize")));
        Assert.That(item.GetProperty("risk").Text("level"), Is.AnyOf("high", "very-high"));
        Assert.That(item.GetProperty("risk").GetProperty("reasons").GetArrayLength(), Is.GreaterThan(0), "the risk comes with its reasons");
        var blast = item.GetProperty("blastRadius");
        Assert.That(blast.GetProperty("impactedServiceCount").GetInt32(), Is.EqualTo(1));
        Assert.That(blast.GetProperty("impactedServices").EnumerateArray().Single().Text("name"), Does.StartWith("Payments-"));
        Assert.That(blast.GetProperty("affectedCis").EnumerateArray().Single().Text("name"), Does.StartWith("payments-"));
        var cab = item.GetProperty("approvals").GetProperty("sets").EnumerateArray().Single(s => s.Text("key") == "cab");
        Assert.That((cab.GetProperty("approved").GetInt32(), cab.GetProperty("total").GetInt32()), Is.EqualTo((0, 3)));
        Assert.That(item.GetProperty("approvals").Text("currentStageName"), Is.EqualTo("CAB approval"));
        var history = item.GetProperty("earlierDecisions").EnumerateArray().ToList();
        Assert.That(history.Where(h => h.Text("source") == "cab-meeting").Select(h => (h.Text("what"), h.Text("decision"), h.Text("notes"))),
            Is.EqualTo(new[] { ("Earlier CAB", "deferred", "Needs the vendor's sign-off.") }));
        Assert.That(history.Count(h => h.Text("source") == "approval" && h.Text("decision") == "approved"), Is.EqualTo(2), "the two owner approvals");
        Assert.That(item.GetProperty("conflicts").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(view.GetProperty("rights").GetProperty("mayRun").GetBoolean(), Is.False, "an agent only reads");
    }

    [Test]
    public async Task Decide_WhenCabMembersApproveUntilThePolicyIsMet_DecidesTheirApprovalsAndSchedulesTheChange()
    {
        var period = CabScene.Period(App, 4);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);
        await Scene.StartAsync(meeting);

        // Before the owners approve, the CAB stage waits: only the board's decision is recorded.
        var early = await DecideAsync(meeting, number, "cabmember", "approve", null, HttpStatusCode.OK);
        Assert.That(early.TextOrNull("approvalDecision"), Is.Null);
        Assert.That(early.Text("summary"), Does.Contain("CAB stage is not reached yet"));
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("authorize"));

        await Scene.ApproveOwnersAsync(number);
        var first = await DecideAsync(meeting, number, "cabmember", "approve", "Looks safe.", HttpStatusCode.OK);
        Assert.That((first.Text("approvalDecision"), first.Text("changeState"), first.GetProperty("changed").GetBoolean()),
            Is.EqualTo(("approved", "authorize", true)), "the same decision with notes now: the member's approval is given, 1 of 3 is not enough");
        Assert.That(first.Text("summary"), Does.Contain("1 of 3 approved"));

        var second = await DecideAsync(meeting, number, "lena.fischer", "approve", "Agreed.", HttpStatusCode.OK);

        Assert.That((second.Text("approvalDecision"), second.Text("approvalState"), second.Text("changeState")), Is.EqualTo(("approved", "approved", "scheduled")));
        Assert.That(second.Text("summary"), Does.Contain("Scheduled"));
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("scheduled"), "half the CAB approved: the policy is met");
        var approvals = await Scene.ApprovalsAsync(number);
        var cab = approvals.GetProperty("approvals").EnumerateArray().Where(a => a.Text("setKey") == "cab").ToList();
        Assert.That(cab.Where(a => a.Text("state") == "approved").Select(a => a.Text("decidedByName")),
            Is.EquivalentTo(new[] { "Carla CAB-Member", "Lena Fischer" }));
        var view = await Scene.MeetingAsync(meeting);
        var item = view.GetProperty("agenda").EnumerateArray().Single();
        Assert.That((item.GetProperty("decision").Text("decision"), item.GetProperty("decision").Text("decidedByName")), Is.EqualTo(("approved", "Lena Fischer")));
        Assert.That(view.GetProperty("log").EnumerateArray().Select(e => e.Text("text")), Has.Some.Contains("re-decided"));
    }

    [Test]
    public async Task Decide_WhenACabMemberRejects_NeedsNotesAndSendsTheChangeBackToNew()
    {
        var period = CabScene.Period(App, 5);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        await Scene.ApproveOwnersAsync(number);
        var meeting = await Scene.PlanAsync(period);
        await Scene.StartAsync(meeting);

        var bare = await App.Api("cabmember").PostAsJsonAsync(DecisionPath(meeting, number), new { decision = "reject" });
        Assert.That(await IncidentApi.FieldErrorsAsync(bare), Is.EqualTo(new[] { "notes" }));
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("authorize"), "a refused rejection changes nothing");

        var rejected = await DecideAsync(meeting, number, "cabmember", "reject", "The backout plan was never tested.", HttpStatusCode.OK);

        Assert.That((rejected.Text("approvalDecision"), rejected.Text("changeState")), Is.EqualTo(("rejected", "new")));
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("new"));
        var approvals = await Scene.ApprovalsAsync(number);
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Single(a => a.Text("state") == "rejected").Text("comment"),
            Is.EqualTo("The backout plan was never tested."));
    }

    [Test]
    public async Task Decide_WhenDeferred_LeavesTheApprovalsWaiting()
    {
        var period = CabScene.Period(App, 6);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        await Scene.ApproveOwnersAsync(number);
        var meeting = await Scene.PlanAsync(period);
        await Scene.StartAsync(meeting);

        var deferred = await DecideAsync(meeting, number, "cabmember", "defer", null, HttpStatusCode.OK);

        Assert.That((deferred.Text("decision"), deferred.TextOrNull("approvalDecision"), deferred.Text("changeState")), Is.EqualTo(("deferred", (string?)null, "authorize")));
        var approvals = await Scene.ApprovalsAsync(number);
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Count(a => a.Text("setKey") == "cab" && a.Text("state") == "requested"), Is.EqualTo(3));
    }

    [TestCase("requester", 403)]
    [TestCase("engineer", 403)]
    [TestCase("agent", 403)]
    [TestCase("problemmanager", 403)]
    public async Task Decide_WhenNotOnTheBoard_IsForbiddenAndChangesNothing(string user, int expected)
    {
        var period = CabScene.Period(App, 7);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period, title: "Board only " + user);
        await Scene.StartAsync(meeting);
        var before = await Scene.MeetingAsync(meeting);

        var reply = await App.Api(user).SendAsync(HttpMethod.Post, DecisionPath(meeting, number), """{"decision":"approve"}""");

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((expected, true)), reply.ToString());
        Assert.That((await Scene.MeetingAsync(meeting)).GetProperty("version").GetInt32(), Is.EqualTo(before.GetProperty("version").GetInt32()));
    }

    [Test]
    public async Task Requester_WhenCallingAnyCabEndpoint_Gets403()
    {
        var meeting = await Scene.PlanAsync(CabScene.Period(App, 8));
        var id = meeting.GetProperty("id").GetGuid();
        var requester = App.Api("requester");
        var replies = new[]
        {
            await requester.SendAsync(HttpMethod.Get, "/api/v1/cab/meetings", null),
            await requester.SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{id}", null),
            await requester.SendAsync(HttpMethod.Post, "/api/v1/cab/meetings", """{"title":"x","startsAt":"2030-01-01T10:00:00Z","endsAt":"2030-01-01T11:00:00Z","periodFrom":"2030-01-01T00:00:00Z","periodTo":"2030-01-08T00:00:00Z"}"""),
            await requester.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/start", null),
            await requester.SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/minutes", """{"minutes":"x"}"""),
        };
        Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(403), string.Join("\n", replies.Select(r => r.ToString())));
    }

    [Test]
    public async Task RunTheMeeting_WhenNotAChangeManager_IsForbidden()
    {
        var meeting = await Scene.PlanAsync(CabScene.Period(App, 9));
        var id = meeting.GetProperty("id").GetGuid();
        var cab = App.Api("cabmember");

        var start = await cab.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/start", null);
        var minutes = await cab.SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/minutes", """{"minutes":"By a member"}""");
        var plan = await App.Api("engineer").SendAsync(HttpMethod.Post, "/api/v1/cab/meetings",
            """{"title":"x","startsAt":"2030-01-01T10:00:00Z","endsAt":"2030-01-01T11:00:00Z","periodFrom":"2030-01-01T00:00:00Z","periodTo":"2030-01-08T00:00:00Z"}""");

        Assert.That(new[] { start.Status, minutes.Status, plan.Status }, Is.All.EqualTo(403), $"{start}\n{minutes}\n{plan}");
        Assert.That((await Scene.MeetingAsync(meeting)).Text("state"), Is.EqualTo("planned"));
    }

    [Test]
    public async Task Decide_WhenMeetingHasNotStarted_IsAConflict()
    {
        var period = CabScene.Period(App, 10);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);

        var reply = await App.Api("cabmember").SendAsync(HttpMethod.Post, DecisionPath(meeting, number), """{"decision":"approve"}""");

        Assert.That(reply.Status, Is.EqualTo(409), reply.ToString());
        Assert.That(reply.Json.Text("rule"), Is.EqualTo("cab-meeting-not-started"));
    }

    [Test]
    public async Task ClosedMeeting_WhenWrittenTo_RefusesEveryWriteWith409()
    {
        var period = CabScene.Period(App, 11);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);
        var id = meeting.GetProperty("id").GetGuid();
        await Scene.StartAsync(meeting);
        await MinutesAsync(meeting, "CHG discussed; vendor to confirm.", HttpStatusCode.OK);
        var closed = await IncidentApi.ExpectAsync(await App.Api("changemanager").PostAsync($"/api/v1/cab/meetings/{id}/close", null), HttpStatusCode.OK);
        Assert.That(closed.Text("state"), Is.EqualTo("closed"));
        var manager = App.Api("changemanager");

        var replies = new[]
        {
            await App.Api("cabmember").SendAsync(HttpMethod.Post, DecisionPath(meeting, number), """{"decision":"approve"}"""),
            await manager.SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/minutes", """{"minutes":"Rewritten"}"""),
            await manager.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/start", null),
            await manager.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/close", null),
            await manager.SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/agenda", $$"""{"changeNumbers":["{{number}}"]}"""),
        };

        Assert.That(replies.Select(r => r.Status), Is.All.EqualTo(409), string.Join("\n", replies.Select(r => r.ToString())));
        Assert.That(replies.Select(r => r.Json.Text("rule")), Is.All.EqualTo("cab-meeting-closed"));
        var after = await Scene.MeetingAsync(meeting);
        Assert.That((after.TextOrNull("minutes"), after.GetProperty("version").GetInt32()), Is.EqualTo(("CHG discussed; vendor to confirm.", closed.GetProperty("version").GetInt32())));
    }

    [Test]
    public async Task Write_WhenIfMatchIsStale_Answers412AndChangesNothing()
    {
        var period = CabScene.Period(App, 12);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var meeting = await Scene.PlanAsync(period);
        var id = meeting.GetProperty("id").GetGuid();
        var started = await Scene.StartAsync(meeting);
        var version = started.GetProperty("version").GetInt32();
        await MinutesAsync(meeting, "First draft", HttpStatusCode.OK, ifMatch: $"\"{version}\"");

        var stale = $"\"{version}\"";
        var decision = await App.Api("cabmember").SendAsync(HttpMethod.Post, DecisionPath(meeting, number), """{"decision":"defer"}""",
            configure: r => r.Headers.TryAddWithoutValidation("If-Match", stale));
        var minutes = await App.Api("changemanager").SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/minutes", """{"minutes":"Overwrite"}""",
            configure: r => r.Headers.TryAddWithoutValidation("If-Match", stale));
        var close = await App.Api("changemanager").SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/close", null,
            configure: r => r.Headers.TryAddWithoutValidation("If-Match", stale));

        Assert.That(new[] { decision.Status, minutes.Status, close.Status }, Is.All.EqualTo(412), $"{decision}\n{minutes}\n{close}");
        var after = await Scene.MeetingAsync(meeting);
        Assert.That((after.TextOrNull("minutes"), after.Text("state")), Is.EqualTo(("First draft", "in-progress")));
        Assert.That(after.GetProperty("agenda")[0].GetProperty("decision").Text("decision"), Is.EqualTo("none"));
    }

    [Test]
    public async Task Reorder_WhenTheChangeManagerGivesANewOrder_KeepsIt()
    {
        var period = CabScene.Period(App, 13);
        var a = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var b = await Scene.HighRiskChangeAsync(period.From.AddDays(2));
        var meeting = await Scene.PlanAsync(period);
        var id = meeting.GetProperty("id").GetGuid();

        var reordered = await App.Api("changemanager").SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/agenda", $$"""{"changeNumbers":["{{b}}","{{a}}"]}""");
        var partial = await App.Api("changemanager").SendAsync(HttpMethod.Put, $"/api/v1/cab/meetings/{id}/agenda", $$"""{"changeNumbers":["{{b}}"]}""");

        Assert.That(reordered.Status, Is.EqualTo(200), reordered.ToString());
        Assert.That(CabScene.Agenda(reordered.Json), Is.EqualTo(new[] { b, a }));
        Assert.That(partial.Status, Is.EqualTo(400), partial.ToString());
    }

    [Test]
    public async Task List_WhenFilteredByState_ReturnsThoseMeetingsNewestFirst()
    {
        var open = await Scene.PlanAsync(CabScene.Period(App, 14), title: "Listed planned");
        var closed = await Scene.PlanAsync(CabScene.Period(App, 15), title: "Listed closed");
        await Scene.StartAsync(closed);
        await IncidentApi.ExpectAsync(await App.Api("changemanager").PostAsync($"/api/v1/cab/meetings/{closed.GetProperty("id").GetGuid()}/close", null),
            HttpStatusCode.OK);

        var planned = await IncidentApi.ExpectAsync(await App.Api("cabmember").GetAsync("/api/v1/cab/meetings?state=planned&pageSize=100"), HttpStatusCode.OK);
        var all = await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync("/api/v1/cab/meetings?pageSize=100"), HttpStatusCode.OK);
        var bad = await App.Api("engineer").GetAsync("/api/v1/cab/meetings?state=maybe&colour=red");

        var plannedIds = planned.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToList();
        Assert.That(plannedIds, Does.Contain(open.GetProperty("id").GetGuid()).And.Not.Contain(closed.GetProperty("id").GetGuid()));
        Assert.That(planned.GetProperty("items").EnumerateArray().Select(m => m.Text("state")), Is.All.EqualTo("planned"));
        Assert.That(all.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()), Does.Contain(closed.GetProperty("id").GetGuid()));
        Assert.That(await IncidentApi.FieldErrorsAsync(bad), Is.EquivalentTo(new[] { "state", "colour" }).Or.EquivalentTo(new[] { "colour" }));
    }

    private static string DecisionPath(JsonElement meeting, string number) =>
        $"/api/v1/cab/meetings/{meeting.GetProperty("id").GetGuid()}/items/{number}/decision";

    private async Task<JsonElement> DecideAsync(JsonElement meeting, string number, string user, string decision, string? notes, HttpStatusCode expected) =>
        await IncidentApi.ExpectAsync(await App.Api(user).PostAsJsonAsync(DecisionPath(meeting, number), new { decision, notes }), expected);

    private async Task MinutesAsync(JsonElement meeting, string minutes, HttpStatusCode expected, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cab/meetings/{meeting.GetProperty("id").GetGuid()}/minutes")
        {
            Content = JsonContent.Create(new { minutes }),
        };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        await IncidentApi.ExpectAsync(await App.Api("changemanager").SendAsync(request), expected);
    }
}
