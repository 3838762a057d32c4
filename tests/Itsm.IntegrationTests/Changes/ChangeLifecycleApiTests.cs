using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// A change's way through its process over the API: submitting is refused while the plan is incomplete; requesting
/// authorisation asks the approvers change-approvals.yaml picks (the CIs' owner groups; for a high risk also the
/// impacted services' owners, then the CAB; for an emergency the emergency CAB); the last approval schedules the change
/// by itself, a rejection sends it back to New with the history saying why; then implementation, outcome and close.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeLifecycleApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    [Test]
    public async Task SubmitForAssessment_WhileThePlanIsIncomplete_Returns409_AndTheChangeSaysWhatIsMissing()
    {
        var change = await RaiseAsync(new { type = "normal", shortDescription = "Replace the core switch " + Marker(), justification = "End of life" });

        var refused = await IncidentApi.ExpectAsync(await TransitionAsync(change.Number(), "submit-for-assessment"), HttpStatusCode.Conflict);

        Assert.That(refused.Text("rule"), Is.EqualTo("transition-not-allowed"));
        Assert.That(refused.Text("detail"), Does.Contain("'submit-for-assessment' needs the change has a justification, implementation, backout and test plans"));
        var read = await ChangeAsync(change.Number());
        Assert.That(read.Text("state"), Is.EqualTo("new"));
        Assert.That(read.GetProperty("missing").EnumerateArray().Select(m => m.GetString()),
            Is.EqualTo(new[] { "an implementation plan", "a backout plan", "a test plan", "a planned start and end", "an affected CI" }));
        var allowed = await IncidentApi.ExpectAsync(await Engineer.GetAsync($"/api/v1/changes/{change.Number()}/transitions"), HttpStatusCode.OK);
        Assert.That(allowed.EnumerateArray().Select(t => t.Text("name")), Does.Not.Contain("submit-for-assessment"));
    }

    [Test]
    public async Task NormalChange_WhenEveryOwnerGroupApproves_IsScheduledByItself_ThenImplementedReviewedAndClosed()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await RaiseNormalAsync([cart, api]);
        Assert.That((await MoveAsync(number, "submit-for-assessment")).Text("state"), Is.EqualTo("assess"));
        await IncidentApi.ExpectAsync(await TransitionAsync(number, "request-authorization"), HttpStatusCode.Forbidden); // the change manager's

        var authorizing = await MoveAsync(number, "request-authorization", user: "changemanager");

        Assert.That((authorizing.Text("state"), authorizing.GetProperty("isFrozen").GetBoolean()), Is.EqualTo(("authorize", true)));
        var approvals = await ApprovalsAsync(number);
        Assert.That((approvals.Text("state"), approvals.GetProperty("round").GetInt32(), approvals.Text("currentStageName")), Is.EqualTo(("pending", 1, "Owner approval")));
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Select(a => (a.Text("approverName"), a.Text("kind"), a.Text("setKey"), a.Text("state"), a.Text("why"))),
            Is.EqualTo(new[]
            {
                ("Network Operations", "group", "ci-owners", "requested", $"owns {g.Name("cart")}"),
                ("Service Desk", "group", "ci-owners", "requested", $"owns {g.Name("api")}"),
            }));

        var first = await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Network Operations"), "agent"), HttpStatusCode.OK);
        Assert.That(first.Text("state"), Is.EqualTo("pending"), "one of the two owner groups");
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"));
        var last = await IncidentApi.ExpectAsync(
            await DecideAsync(number, await ApprovalIdAsync(number, "Service Desk"), "problemmanager", comment: "Fine by the service desk"), HttpStatusCode.OK);

        Assert.That(last.Text("state"), Is.EqualTo("approved"));
        var decided = last.GetProperty("approvals").EnumerateArray().Single(a => a.Text("approverName") == "Service Desk");
        Assert.That((decided.Text("state"), decided.Text("decidedByName"), decided.Text("comment")), Is.EqualTo(("approved", "Priya Problem-Manager", "Fine by the service desk")));
        var scheduled = await ChangeAsync(number);
        Assert.That((scheduled.Text("state"), scheduled.GetProperty("isFrozen").GetBoolean()), Is.EqualTo(("scheduled", false)));
        var history = await ApprovalHistoryAsync(number);
        Assert.That(history, Has.Some.StartsWith("asked Network Operations (Owners of the affected CIs): owns "));
        Assert.That(history, Has.Some.Contains("for Service Desk: Fine by the service desk"));
        Assert.That(history[^1], Is.EqualTo("approvals-granted: every approval stage is met"));

        await IncidentApi.ExpectAsync(await TransitionAsync(number, "start-implementation", user: "tom.baker"), HttpStatusCode.Conflict); // not the implementer
        Assert.That((await MoveAsync(number, "start-implementation")).Text("state"), Is.EqualTo("implement"));
        await IncidentApi.FieldErrorsAsync(await TransitionAsync(number, "record-outcome", new { resolutionCode = "worked", resolutionNotes = "Done" }));
        var reviewed = await MoveAsync(number, "record-outcome", new { resolutionCode = "successful", resolutionNotes = "Upgraded; smoke tests green." });
        Assert.That((reviewed.Text("state"), reviewed.Text("resolutionCode"), reviewed.Text("resolutionNotes")),
            Is.EqualTo(("review", "successful", "Upgraded; smoke tests green.")));
        await IncidentApi.ExpectAsync(await TransitionAsync(number, "close"), HttpStatusCode.Forbidden); // the change manager's
        var closed = await MoveAsync(number, "close", user: "changemanager");
        Assert.That((closed.Text("state"), closed.GetProperty("isActive").GetBoolean()), Is.EqualTo(("closed", false)));
    }

    [Test]
    public async Task RejectApproval_WithoutAComment_Returns400_AndWithOne_SendsTheChangeBackToNewSayingWhy()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);
        var netOps = await ApprovalIdAsync(number, "Network Operations");

        Assert.That(await IncidentApi.FieldErrorsAsync(await DecideAsync(number, netOps, "agent", "reject")), Is.EqualTo(new[] { "comment" }));
        Assert.That(await IncidentApi.FieldErrorsAsync(await DecideAsync(number, netOps, "agent", "veto", "No")), Is.EqualTo(new[] { "decision" }));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:requested", "Service Desk:requested" }), "a refused decision decides nothing");

        var rejected = await IncidentApi.ExpectAsync(await DecideAsync(number, netOps, "agent", "reject", "The firewall change is not ready"), HttpStatusCode.OK);

        Assert.That((rejected.Text("state"), rejected.Text("rejectedBy")), Is.EqualTo(("rejected", "Adam Agent")));
        var rows = rejected.GetProperty("approvals").EnumerateArray().ToDictionary(a => a.Text("approverName"));
        Assert.That((rows["Network Operations"].Text("state"), rows["Network Operations"].Text("comment")), Is.EqualTo(("rejected", "The firewall change is not ready")));
        Assert.That((rows["Service Desk"].Text("state"), rows["Service Desk"].Text("canceledReason")), Is.EqualTo(("canceled", "not needed: Adam Agent rejected the change")));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
        var history = await ApprovalHistoryAsync(number);
        Assert.That(history, Has.Some.EqualTo("rejected by Adam Agent for Network Operations: The firewall change is not ready"));
        Assert.That(history[^1], Is.EqualTo("approval-rejected: rejected by Adam Agent"));

        // Submitted again, the policy starts afresh in a second round; the first stays on record.
        await MoveAsync(number, "submit-for-assessment");
        await MoveAsync(number, "request-authorization", user: "changemanager");
        var again = await ApprovalsAsync(number);
        Assert.That((again.Text("state"), again.GetProperty("round").GetInt32()), Is.EqualTo(("pending", 2)));
        Assert.That(again.GetProperty("approvals").EnumerateArray().Select(a => $"{a.GetProperty("round").GetInt32()}:{a.Text("approverName")}:{a.Text("state")}"),
            Is.EqualTo(new[] { "2:Network Operations:requested", "2:Service Desk:requested", "1:Network Operations:rejected", "1:Service Desk:canceled" }));
    }

    [Test]
    public async Task RequestAuthorization_ForAHighRiskChange_AsksTheOwnersOfCisAndServicesFirst_ThenHalfTheCab()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var shop = await g.CiAsync("business-service", "Shop", Owned("Service Desk", criticality: 1));
        await g.LinkAsync(shop, "depends-on", cart);
        var number = await InAuthorizeAsync([cart]);
        Assert.That((await ChangeAsync(number)).Text("risk"), Is.EqualTo("high"));

        var approvals = await ApprovalsAsync(number);
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Select(a => $"{a.GetProperty("stage").GetInt32()}:{a.Text("setKey")}:{a.Text("approverName")}:{a.Text("state")}"),
            Is.EqualTo(new[]
            {
                "1:ci-owners:Network Operations:requested", "1:service-owners:Service Desk:requested",
                "2:cab:Carla CAB-Member:waiting", "2:cab:Lena Fischer:waiting", "2:cab:Tom Baker:waiting",
            }));
        var service = approvals.GetProperty("approvals").EnumerateArray().Single(a => a.Text("setKey") == "service-owners");
        Assert.That(service.Text("why"), Is.EqualTo($"owns {g.Name("Shop")}"));
        var early = await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Carla CAB-Member"), "cabmember"), HttpStatusCode.Conflict);
        Assert.That(early.Text("rule"), Is.EqualTo("approval-not-requested"), "the CAB decides after the owners");

        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Network Operations"), "nora.kim"), HttpStatusCode.OK);
        var owners = await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Service Desk"), "sam.lee"), HttpStatusCode.OK);
        Assert.That((owners.Text("state"), owners.Text("currentStageName")), Is.EqualTo(("pending", "CAB approval")));
        Assert.That(await ApprovalStatesAsync(number), Is.SupersetOf(new[] { "Carla CAB-Member:requested", "Lena Fischer:requested", "Tom Baker:requested" }));
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Carla CAB-Member"), "cabmember"), HttpStatusCode.OK);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"), "one of three is not half");
        var done = await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Lena Fischer"), "lena.fischer"), HttpStatusCode.OK);

        Assert.That(done.Text("state"), Is.EqualTo("approved"));
        var tom = done.GetProperty("approvals").EnumerateArray().Single(a => a.Text("approverName") == "Tom Baker");
        Assert.That((tom.Text("state"), tom.Text("canceledReason")), Is.EqualTo(("canceled", "not needed: the set's rule is met")));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("scheduled"));
    }

    [Test]
    public async Task EmergencyChange_SkipsAssessment_AndOneEmergencyCabMemberAuthorisesIt()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var number = (await RaiseAsync(NormalBody([cart], type: "emergency"))).Number();
        await IncidentApi.ExpectAsync(await TransitionAsync(number, "submit-for-assessment"), HttpStatusCode.Conflict);

        var authorizing = await MoveAsync(number, "submit-emergency");

        Assert.That(authorizing.Text("state"), Is.EqualTo("authorize"));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Carla CAB-Member:requested", "Chen Change-Manager:requested" }));
        var approvals = await ApprovalsAsync(number);
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Select(a => (a.Text("setKey"), a.Text("rule"), a.Text("why"))),
            Is.All.EqualTo(("ecab", "any one", "member of Emergency CAB")));
        var done = await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Carla CAB-Member"), "cabmember"), HttpStatusCode.OK);
        Assert.That(done.Text("state"), Is.EqualTo("approved"));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("scheduled"));
    }

    [Test]
    public async Task StandardChange_WithAConflict_IsNotScheduled()
    {
        var g = Graph();
        var vm = await g.CiAsync("virtual-machine", "web");
        var (start, end) = WindowedSlot("virtual-machine", TimeSpan.FromHours(2));
        var other = (await RaiseAsync(NormalBody([vm], implementer: "tom.baker", window: (start, end)))).Number();
        await MoveAsync(other, "submit-for-assessment");
        var number = (await RaiseAsync(new { type = "standard", template = "os-patch-linux", plannedStart = start, ciIds = new[] { vm } })).Number();

        var refused = await IncidentApi.ExpectAsync(await TransitionAsync(number, "schedule-standard"), HttpStatusCode.Conflict);

        Assert.That(refused.Text("detail"), Does.Contain("no conflict"));
        Assert.That((await ChangeAsync(number)).GetProperty("conflictCount").GetInt32(), Is.EqualTo(1));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task SendBack_FromAuthorize_NeedsAReason_CancelsThePendingApprovals_AndRecordsWhy()
    {
        var g = Graph();
        var number = await InAuthorizeAsync([await g.CiAsync("application-component", "cart", Owned("Network Operations"))]);
        await IncidentApi.FieldErrorsAsync(await TransitionAsync(number, "send-back"));

        var back = await MoveAsync(number, "send-back", new { reworkReason = "The backout plan needs a tested snapshot." });

        Assert.That(back.Text("state"), Is.EqualTo("new"));
        var approvals = await ApprovalsAsync(number);
        var only = approvals.GetProperty("approvals").EnumerateArray().Single();
        Assert.That((only.Text("state"), only.Text("canceledReason")), Is.EqualTo(("canceled", "the change was sent back to New")));
        var history = await HistoryAsync(number);
        Assert.That(history.EnumerateArray().Select(h => (h.Text("field"), h.TextOrNull("newValue"))),
            Does.Contain(("reworkReason", (string?)"The backout plan needs a tested snapshot.")));
    }
}
