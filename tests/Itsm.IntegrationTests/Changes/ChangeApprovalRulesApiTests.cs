using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// What someone trying to get a change through would try, refused over the API: approving one's own change (as its
/// requester or implementer), deciding an approval asked of someone else, deciding twice or out of turn, deciding when
/// the change is no longer being authorised, smuggling another transition's fields, and changing the plan, the CIs or
/// the type of a change once its approvers were asked (the change goes back to New and its approvals are canceled).
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeApprovalRulesApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    [Test]
    public async Task DecideApproval_ByTheChangesRequesterOrImplementer_Returns403EvenWhenTheyAreInTheApprovingGroup()
    {
        // Server Operations (Erik Engineer, Tom Baker) owns the CI: one of them raises, the other implements, in turn.
        var g = Graph();
        var batch = await g.CiAsync("application-component", "batch", Owned("Server Operations"));
        var raised = await InAuthorizeAsync([batch], user: "engineer", implementer: "changemanager");
        var implemented = await InAuthorizeAsync([batch], user: "changemanager", implementer: "tom.baker");
        var raisedApproval = await ApprovalIdAsync(raised, "Server Operations");
        var implementedApproval = await ApprovalIdAsync(implemented, "Server Operations");

        var byRequester = await IncidentApi.ExpectAsync(await DecideAsync(raised, raisedApproval, "engineer"), HttpStatusCode.Forbidden);
        var rejectByRequester = await IncidentApi.ExpectAsync(await DecideAsync(raised, raisedApproval, "engineer", "reject", "Changed my mind"), HttpStatusCode.Forbidden);
        var byImplementer = await IncidentApi.ExpectAsync(await DecideAsync(implemented, implementedApproval, "tom.baker"), HttpStatusCode.Forbidden);

        Assert.That(byRequester.Text("detail"), Does.Contain("You requested this change"));
        Assert.That(rejectByRequester.Text("detail"), Does.Contain("You requested this change"));
        Assert.That(byImplementer.Text("detail"), Does.Contain("You implement this change"));
        foreach (var (number, own) in new[] { (raised, "engineer"), (implemented, "tom.baker") })
        {
            Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Server Operations:requested" }));
            var view = await ApprovalsAsync(number, own);
            Assert.That(view.GetProperty("approvals")[0].GetProperty("canDecide").GetBoolean(), Is.False, $"{own} is offered no decision on {number}");
        }
        // The other member of the group decides: the approval was never out of reach.
        await IncidentApi.ExpectAsync(await DecideAsync(raised, raisedApproval, "tom.baker"), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await DecideAsync(implemented, implementedApproval, "engineer"), HttpStatusCode.OK);
        Assert.That((await ChangeAsync(raised)).Text("state"), Is.EqualTo("scheduled"));
        Assert.That((await ChangeAsync(implemented)).Text("state"), Is.EqualTo("scheduled"));
    }

    [Test]
    public async Task RequestAuthorization_WhenTheOwnerGroupsOnlyMemberRaisedAndImplementsTheChange_AsksTheFallbackGroupInstead()
    {
        // Database Administration's only member is Erik Engineer, who raises the change and (by default) implements it:
        // asking the group would hold the change in Authorize for ever.
        var g = Graph();
        var schema = await g.CiAsync("application-component", "schema", Owned("Database Administration"));

        var number = await InAuthorizeAsync([schema]);

        var approval = (await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray().Single();
        Assert.That((approval.Text("approverName"), approval.Text("state")), Is.EqualTo(("Change Management", "requested")));
        Assert.That(approval.Text("why"), Is.EqualTo(
            $"fallback: Database Administration owns {g.Name("schema")}, but its only members requested or implement the change, so Change Management approves instead"));
        await IncidentApi.ExpectAsync(await DecideAsync(number, approval.GetProperty("id").GetGuid(), "changemanager"), HttpStatusCode.OK);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("scheduled"));
    }

    [Test]
    public async Task RequestAuthorization_WhenTheFallbackGroupsOnlyMemberImplementsTheChange_Returns409_AndTheAssessmentSaysWhy()
    {
        // Change Management's only member raises and implements a change on a CI nobody owns: the fallback is nobody.
        var g = Graph();
        var unowned = await g.CiAsync("application-component", "orphan");
        var number = await RaiseNormalAsync([unowned], "changemanager");
        var assessment = await IncidentApi.ExpectAsync(await ChangeManager.GetAsync($"/api/v1/changes/{number}/assessment"), HttpStatusCode.OK);
        Assert.That(assessment.GetProperty("approvers").Text("blocker"), Does.Contain("Change Management").And.Contain("only members requested or implement"));
        await MoveAsync(number, "submit-for-assessment", user: "changemanager");

        var refused = await TransitionAsync(number, "request-authorization", user: "changemanager");

        var problem = await IncidentApi.ExpectAsync(refused, HttpStatusCode.Conflict);
        Assert.That(problem.Text("rule"), Is.EqualTo("approval-fallback-unavailable"));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("assess"), "nothing moved");
        Assert.That((await ApprovalsAsync(number)).GetProperty("approvals").GetArrayLength(), Is.Zero, "nobody was asked");
    }

    [Test]
    public async Task DecideApproval_ByAnyoneOutsideTheApprovingGroup_Returns403()
    {
        var g = Graph();
        var number = await InAuthorizeAsync([await g.CiAsync("application-component", "cart", Owned("Network Operations"))]);
        var approval = await ApprovalIdAsync(number, "Network Operations");

        foreach (var user in new[] { "cabmember", "changemanager", "problemmanager", "admin", "sam.lee" })
        {
            var refused = await IncidentApi.ExpectAsync(await DecideAsync(number, approval, user), HttpStatusCode.Forbidden);
            Assert.That(refused.Text("detail"), Does.Contain("only its members or their delegates may decide it"), user);
        }
        await IncidentApi.ExpectAsync(await DecideAsync(number, approval, "requester"), HttpStatusCode.Forbidden);
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:requested" }));
        var member = await ApprovalsAsync(number, "nora.kim");
        Assert.That(member.GetProperty("approvals")[0].GetProperty("canDecide").GetBoolean(), Is.True, "a member is offered the decision");
    }

    [Test]
    public async Task DecideApproval_Twice_Returns409_AndAnUnknownApprovalIs404()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);
        var approval = await ApprovalIdAsync(number, "Network Operations");
        await IncidentApi.ExpectAsync(await DecideAsync(number, approval, "agent"), HttpStatusCode.OK);

        var again = await IncidentApi.ExpectAsync(await DecideAsync(number, approval, "agent"), HttpStatusCode.Conflict);
        var byColleague = await IncidentApi.ExpectAsync(await DecideAsync(number, approval, "nora.kim", "reject", "Too late"), HttpStatusCode.Conflict);
        await IncidentApi.ExpectAsync(await DecideAsync(number, Guid.NewGuid(), "agent"), HttpStatusCode.NotFound);

        Assert.That((again.Text("rule"), byColleague.Text("rule")), Is.EqualTo(("approval-already-decided", "approval-already-decided")));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:approved", "Service Desk:requested" }));
    }

    [Test]
    public async Task DecideApproval_OfAnotherChange_Returns404()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var number = await InAuthorizeAsync([cart]);
        var other = await InAuthorizeAsync([await g.CiAsync("application-component", "api", Owned("Network Operations"))]);

        await IncidentApi.ExpectAsync(await DecideAsync(other, await ApprovalIdAsync(number, "Network Operations"), "agent"), HttpStatusCode.NotFound);

        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:requested" }));
        Assert.That(await ApprovalStatesAsync(other), Is.EqualTo(new[] { "Network Operations:requested" }));
    }

    [Test]
    public async Task DecideApproval_WhenTheChangeIsNoLongerBeingAuthorised_Returns409()
    {
        var g = Graph();
        var number = await InAuthorizeAsync([await g.CiAsync("application-component", "cart", Owned("Network Operations"))]);
        var approval = await ApprovalIdAsync(number, "Network Operations");
        await MoveAsync(number, "send-back", new { reworkReason = "Wrong window" });

        var refused = await IncidentApi.ExpectAsync(await DecideAsync(number, approval, "agent"), HttpStatusCode.Conflict);

        Assert.That(refused.Text("rule"), Is.EqualTo("change-not-in-authorization"));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:canceled" }));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task DecideApproval_WithAStaleETag_Returns412AndDecidesNothing()
    {
        var g = Graph();
        var number = await InAuthorizeAsync([await g.CiAsync("application-component", "cart", Owned("Network Operations"))]);
        var approvals = await ApprovalsAsync(number);
        var stale = approvals.GetProperty("version").GetInt32() - 1;
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/changes/{number}/approvals/{await ApprovalIdAsync(number, "Network Operations")}/decision")
        {
            Content = JsonContent.Create(new { decision = "approve" }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{stale}\"");

        await IncidentApi.ExpectAsync(await App.Api("agent").SendAsync(request), HttpStatusCode.PreconditionFailed);

        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:requested" }));
    }

    [Test]
    public async Task Transition_WithAnotherTransitionsFields_Returns400AndDoesNotMove()
    {
        var g = Graph();
        var number = await InAuthorizeAsync([await g.CiAsync("application-component", "cart", Owned("Network Operations"))]);

        var errors = await IncidentApi.FieldErrorsAsync(await TransitionAsync(number, "send-back",
            new { reworkReason = "Rework", resolutionCode = "successful", resolutionNotes = "Done already" }));
        var submit = await IncidentApi.FieldErrorsAsync(await TransitionAsync(number, "cancel", new { cancelReason = "No", reworkReason = "x" }));

        Assert.That(errors, Is.EquivalentTo(new[] { "fields.resolutionCode", "fields.resolutionNotes" }));
        Assert.That(submit, Is.EqualTo(new[] { "fields.reworkReason" }));
        var change = await ChangeAsync(number);
        Assert.That((change.Text("state"), change.TextOrNull("resolutionCode")), Is.EqualTo(("authorize", (string?)null)));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:requested" }));
    }

    [Test]
    public async Task UpdateChange_EditingThePlanWhileItIsAuthorised_SendsItBackToNewAndCancelsThePendingApprovals()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Network Operations"), "agent"), HttpStatusCode.OK);
        var notFrozen = await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/changes/{number}", new { description = "Some more detail" }), HttpStatusCode.OK);
        Assert.That(notFrozen.Text("state"), Is.EqualTo("authorize"), "the description is not part of the plan");

        var edited = await IncidentApi.ExpectAsync(
            await Engineer.PatchAsJsonAsync($"/api/v1/changes/{number}", new { implementationPlan = "Do it differently, after approval." }), HttpStatusCode.OK);

        Assert.That((edited.Text("state"), edited.Text("implementationPlan")), Is.EqualTo(("new", "Do it differently, after approval.")));
        var approvals = await ApprovalsAsync(number);
        var rows = approvals.GetProperty("approvals").EnumerateArray().ToDictionary(a => a.Text("approverName"));
        Assert.That(rows["Network Operations"].Text("state"), Is.EqualTo("approved"), "a decision given stays on record");
        Assert.That((rows["Service Desk"].Text("state"), rows["Service Desk"].Text("canceledReason")),
            Is.EqualTo(("canceled", "the plan was edited while it was being authorised")));
        var history = await ApprovalHistoryAsync(number);
        Assert.That(history, Has.Some.EqualTo("change-replanned: the plan was edited while it was being authorised"));
        Assert.That(history, Has.Some.EqualTo("1 pending approval(s) canceled: the plan was edited while it was being authorised"));
    }

    [Test]
    public async Task AddAffectedCi_WhileANormalChangeIsAuthorised_SendsItBackToNewAndCancelsThePendingApprovals()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var number = await InAuthorizeAsync([cart]);
        var extra = await g.CiAsync("application-component", "api", Owned("Service Desk"));

        var cis = await IncidentApi.ExpectAsync(await Engineer.AddCiAsync("changes", number, new { ciId = extra }), HttpStatusCode.OK);

        Assert.That(cis.AffectedNames(), Is.EquivalentTo(new[] { g.Name("cart"), g.Name("api") }));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
        var approvals = await ApprovalsAsync(number);
        var only = approvals.GetProperty("approvals").EnumerateArray().Single();
        Assert.That((only.Text("approverName"), only.Text("state"), only.Text("canceledReason")),
            Is.EqualTo(("Network Operations", "canceled", "its CIs were changed while it was being authorised")));
        Assert.That(await ApprovalHistoryAsync(number), Has.Some.EqualTo("change-replanned: its CIs were changed while it was being authorised"));
    }

    [Test]
    public async Task RemoveAffectedCi_WhileANormalChangeIsAuthorised_SendsItBackToNew()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);

        await IncidentApi.ExpectAsync(await Engineer.DeleteAsync($"/api/v1/changes/{number}/cis/{api}"), HttpStatusCode.OK);

        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:canceled", "Service Desk:canceled" }));
    }

    [Test]
    public async Task AddAffectedCi_WhileAnEmergencyChangeIsAuthorised_RecomputesTheApproversAndStaysInAuthorize()
    {
        var g = Graph();
        var number = (await RaiseAsync(NormalBody([await g.CiAsync("application-component", "cart")], type: "emergency"))).Number();
        await MoveAsync(number, "submit-emergency");

        await IncidentApi.ExpectAsync(await Engineer.AddCiAsync("changes", number, new { ciId = await g.CiAsync("application-component", "api") }), HttpStatusCode.OK);

        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"), "an emergency is not sent back for a CI");
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Carla CAB-Member:requested", "Chen Change-Manager:requested" }));
    }

    [Test]
    public async Task UpdateChange_TypeOnceAnApprovalWasGiven_Returns409EvenBackInNew()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/changes/{number}", new { type = "emergency" }), HttpStatusCode.Conflict);
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Network Operations"), "agent"), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Service Desk"), "problemmanager", "reject", "Not this week"), HttpStatusCode.OK);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"));

        var refused = await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/changes/{number}", new { type = "emergency" }), HttpStatusCode.Conflict);

        Assert.That((refused.Text("rule"), refused.Text("detail")), Is.EqualTo(("change-type-frozen", $"{number} already has approvals: its type can no longer change.")));
        Assert.That((await ChangeAsync(number)).Text("type"), Is.EqualTo("normal"));
    }
}
