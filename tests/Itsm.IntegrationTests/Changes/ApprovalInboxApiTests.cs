using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// GET /api/v1/approvals, the approvals inbox: the approvals asked now of the caller's groups (and of the caller), not
/// those of other groups, of a later stage or already decided, and never those of the caller's own changes. Then the
/// approvals recomputed when the CMDB graph changes while a change is being authorised: a new owner group is asked once
/// the impacted-services refresh has run, approvals already given stay.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ApprovalInboxApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    private async Task<JsonElement> InboxAsync(string user) =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync("/api/v1/approvals"), HttpStatusCode.OK);

    /// <summary>The inbox's items of one change as "approver name (set label)".</summary>
    private async Task<IReadOnlyList<string>> ItemsAsync(string user, string number) =>
        (await InboxAsync(user)).GetProperty("items").EnumerateArray().Where(i => i.Text("changeNumber") == number)
            .Select(i => $"{i.Text("approverName")} ({i.Text("setLabel")})").ToList();

    [Test]
    public async Task Inbox_ShowsTheApprovalsAskedOfTheCallersGroups_AndNotOfOthers()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("End User Computing"));
        var number = await InAuthorizeAsync([cart, api]);

        Assert.That(await ItemsAsync("agent", number), Is.EqualTo(new[] { "Network Operations (Owners of the affected CIs)" }));
        Assert.That(await ItemsAsync("nora.kim", number), Is.EqualTo(new[] { "Network Operations (Owners of the affected CIs)" }));
        Assert.That(await ItemsAsync("sam.lee", number), Is.EqualTo(new[] { "End User Computing (Owners of the affected CIs)" }));
        foreach (var user in new[] { "cabmember", "changemanager", "problemmanager", "admin" })
            Assert.That(await ItemsAsync(user, number), Is.Empty, user);
        var item = (await InboxAsync("agent")).GetProperty("items").EnumerateArray().Single(i => i.Text("changeNumber") == number);
        Assert.That((item.Text("changeType"), item.Text("requesterName"), item.Text("why"), item.Text("stageName")),
            Is.EqualTo(("normal", "Erik Engineer", $"owns {g.Name("cart")}", "Owner approval")));
        Assert.That(item.GetProperty("approvalId").GetGuid(), Is.EqualTo(await ApprovalIdAsync(number, "Network Operations")));

        await IncidentApi.ExpectAsync(await DecideAsync(number, item.GetProperty("approvalId").GetGuid(), "nora.kim"), HttpStatusCode.OK);

        Assert.That(await ItemsAsync("agent", number), Is.Empty, "decided by a colleague of the group: gone for everyone in it");
        Assert.That(await ItemsAsync("sam.lee", number), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Inbox_LeavesOutTheCallersOwnChanges_AndStagesNotYetReached()
    {
        var g = Graph();
        var batch = await g.CiAsync("application-component", "batch", Owned("Server Operations"));
        var shop = await g.CiAsync("business-service", "Shop", Owned("Service Desk", criticality: 1));
        await g.LinkAsync(shop, "depends-on", batch);
        var number = await InAuthorizeAsync([batch], user: "tom.baker", implementer: "tom.baker");

        Assert.That(await ItemsAsync("engineer", number), Is.EqualTo(new[] { "Server Operations (Owners of the affected CIs)" }));
        Assert.That(await ItemsAsync("tom.baker", number), Is.Empty, "a member of Server Operations, but it is his change");
        Assert.That(await ItemsAsync("cabmember", number), Is.Empty, "the CAB is asked after the owners");
        Assert.That((await InboxAsync("cabmember")).GetProperty("count").GetInt32(),
            Is.EqualTo((await InboxAsync("cabmember")).GetProperty("items").GetArrayLength()));
    }

    [Test]
    public async Task Inbox_ForARequester_Returns403()
    {
        var reply = await App.Api("requester").GetAsync("/api/v1/approvals");

        await IncidentApi.ExpectAsync(reply, HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task GraphRefresh_AfterACiGetsANewOwnerGroup_AsksTheNewOwner_AndKeepsTheApprovalsGiven()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Service Desk"));
        var number = await InAuthorizeAsync([cart, api]);
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Network Operations"), "agent"), HttpStatusCode.OK);

        await IncidentApi.ExpectAsync(await Engineer.PatchAsync($"/api/v1/cis/{api}",
            new StringContent("""{"ownerGroup":"End User Computing"}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Network Operations:approved", "Service Desk:requested" }), "nothing moves before the refresh");
        await App.RefreshImpactedServicesAsync();

        var approvals = await ApprovalsAsync(number);
        Assert.That((approvals.Text("state"), approvals.GetProperty("round").GetInt32()), Is.EqualTo(("pending", 1)));
        var rows = approvals.GetProperty("approvals").EnumerateArray().ToDictionary(a => a.Text("approverName"));
        Assert.That(rows.Keys, Is.EquivalentTo(new[] { "Network Operations", "Service Desk", "End User Computing" }));
        Assert.That(rows["Network Operations"].Text("state"), Is.EqualTo("approved"), "an approval given stays");
        Assert.That((rows["Service Desk"].Text("state"), rows["Service Desk"].Text("canceledReason")), Is.EqualTo(("canceled", "the CMDB graph changed")));
        Assert.That((rows["End User Computing"].Text("state"), rows["End User Computing"].Text("why")),
            Is.EqualTo(("requested", $"owns {g.Name("api")} (the CMDB graph changed)")));
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"));
        var history = await ApprovalHistoryAsync(number);
        Assert.That(history, Has.Some.EqualTo($"asked End User Computing: owns {g.Name("api")} (the CMDB graph changed)"));
        Assert.That(history, Has.Some.StartsWith("no longer asks Service Desk"));
        Assert.That(await ItemsAsync("sam.lee", number), Is.EqualTo(new[] { "End User Computing (Owners of the affected CIs)" }));
        Assert.That(await ItemsAsync("problemmanager", number), Is.Empty, "the Service Desk is no longer asked");

        await App.RefreshImpactedServicesAsync();
        Assert.That((await ApprovalsAsync(number)).GetProperty("approvals").GetArrayLength(), Is.EqualTo(3), "a second refresh changes nothing");
        await IncidentApi.ExpectAsync(await DecideAsync(number, rows["End User Computing"].GetProperty("id").GetGuid(), "sam.lee"), HttpStatusCode.OK);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("scheduled"));
    }

    [Test]
    public async Task GraphRefresh_AfterANewServiceDependsOnTheCi_AsksItsOwner()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var shop = await g.CiAsync("business-service", "Shop", Owned("Service Desk", criticality: 1));
        await g.LinkAsync(shop, "depends-on", cart);
        var number = await InAuthorizeAsync([cart]);
        await IncidentApi.ExpectAsync(await DecideAsync(number, await ApprovalIdAsync(number, "Service Desk"), "sam.lee"), HttpStatusCode.OK);
        var checkout = await g.CiAsync("business-service", "Checkout", Owned("Application Support", criticality: 2));

        await g.LinkAsync(checkout, "depends-on", cart);
        await App.RefreshImpactedServicesAsync();

        var rows = (await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray()
            .Where(a => a.GetProperty("stage").GetInt32() == 1).Select(a => $"{a.Text("setKey")}:{a.Text("approverName")}:{a.Text("state")}").ToList();
        Assert.That(rows, Is.EqualTo(new[]
        {
            "ci-owners:Network Operations:requested", "service-owners:Application Support:requested", "service-owners:Service Desk:approved",
        }));
        Assert.That(await ItemsAsync("omar.haddad", number), Is.EqualTo(new[] { "Application Support (Owners of the impacted business services)" }));
        var cis = await App.CisAsync("changes", number);
        Assert.That(cis.Services(), Is.EquivalentTo(new[] { $"{g.Name("Checkout")}:computed", $"{g.Name("Shop")}:computed" }));
    }
}
