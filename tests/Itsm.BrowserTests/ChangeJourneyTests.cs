using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.Application.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Itsm.BrowserTests;

/// <summary>
/// A normal change in a real browser from raising to CAB approval to closure: the engineer raises it on the CIs of a
/// criticality-1 business service and reads its risk, conflicts, blast radius and approvers; the change manager asks for
/// authorisation; the CI and service owners approve from their inbox on a phone, then the CAB (one member on a phone, one
/// at the CAB meeting) until half of it has approved and the change is scheduled by itself; the engineer implements it
/// and records the outcome, and the change manager closes it after the review. And a normal change an owner rejects from
/// the inbox with a comment: it goes where the process says, the header's count drops, and its engineer reads why.
/// </summary>
[TestFixture]
public sealed class ChangeJourneyTests
{
    private const int Phone = 390;
    private BrowserHost _host = null!;

    [OneTimeSetUp] public async Task Start() => _host = await BrowserHost.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task NormalChange_RaisedAssessedApprovedByOwnersAndCab_IsScheduledImplementedReviewedAndClosed()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var (component, vm, service) = ($"checkout-{marker}", $"shop-vm-{marker}", $"Web Shop {marker}");
        await SceneAsync(component, vm, service);
        // A fortnight ahead (past the normal lead time) on a weekday morning: outside the VM's weekend-night window.
        var day = DateOnly.FromDateTime(_host.App.Clock.UtcNow.UtcDateTime).AddDays(14);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        var start = day.ToDateTime(new TimeOnly(9, 0));

        // 1. The engineer raises the change with its full plan and reads what the assessment found.
        var engineer = await _host.SignInAsync("engineer");
        await engineer.GotoAsync("/Changes/Create");
        await Expect(engineer.GetByLabel("Implementer")).ToHaveValueAsync("engineer");
        await engineer.GetByLabel("Short description").FillAsync($"Upgrade the checkout to version 5 {marker}");
        await engineer.GetByLabel("Description", new() { Exact = true }).FillAsync("Moves the shop's checkout to the vendor's supported major version.");
        await engineer.GetByLabel("Affected CIs").FillAsync($"{component}, {vm}");
        await engineer.GetByLabel("Justification").FillAsync("Version 4 goes out of support at the end of the month.");
        await engineer.GetByLabel("Implementation plan").FillAsync("Drain the VM from the load balancer, install version 5, migrate the schema, put it back.");
        await engineer.GetByLabel("Backout plan").FillAsync("Restore the VM snapshot taken before the upgrade.");
        await engineer.GetByLabel("Test plan").FillAsync("Place a test order end to end; watch the error rate for an hour.");
        await engineer.GetByLabel("Planned start (UTC)").FillAsync(Local(start));
        await engineer.GetByLabel("Planned end (UTC)").FillAsync(Local(start.AddHours(2)));
        await engineer.GetByLabel("Implementer").FillAsync("engineer");
        await engineer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-create-1280"), FullPage = true });
        await engineer.GetByRole(AriaRole.Button, new() { Name = "Raise change" }).ClickAsync();
        await engineer.WaitForURLAsync(url => url.Contains("/Changes/CHG", StringComparison.Ordinal));
        var number = engineer.Url.Split('/')[^1];
        await Expect(engineer.Locator(".status-message")).ToContainTextAsync($"{number} was raised (normal change, risk High)");
        await Expect(StateBadge(engineer)).ToHaveTextAsync("New");
        await Expect(engineer.Locator("#plan")).ToContainTextAsync("Restore the VM snapshot taken before the upgrade.");
        await Expect(engineer.Locator("#plan")).ToContainTextAsync($"{day:yyyy-MM-dd} 09:00–11:00 UTC");
        await Expect(engineer.Locator("#risk")).ToContainTextAsync("High");
        var reasons = engineer.Locator(".risk-reasons");
        await Expect(reasons).ToContainTextAsync($"1 business service impacted: {service} (criticality 1)");
        await Expect(reasons).ToContainTextAsync("planned outside the maintenance window of 1 CI");
        await Expect(engineer.Locator("#conflicts")).ToContainTextAsync("(1)");
        await Expect(engineer.Locator("ul.conflicts")).ToContainTextAsync($"Planned outside {vm}'s maintenance window 'Weekend nights'");
        await Expect(engineer.Locator(".impact-services")).ToContainTextAsync(service);
        await Expect(engineer.Locator("#assessment .impact-counts")).ToContainTextAsync("1 business service");
        var plan = engineer.Locator(".approval-plan");
        await Expect(plan).ToContainTextAsync("Stage 1: Owner approval");
        await Expect(plan).ToContainTextAsync($"Network Operations (group): owns {component}");
        await Expect(plan).ToContainTextAsync($"Service Desk (group): owns {service}");
        await Expect(plan).ToContainTextAsync("Stage 2: CAB approval");
        foreach (var member in new[] { "Carla CAB-Member", "Lena Fischer", "Tom Baker" }) await Expect(plan).ToContainTextAsync(member);
        await engineer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-raised-1280"), FullPage = true });
        await engineer.Locator("#assessment").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-assessment-1280") });

        // 2. The engineer submits it; the change manager assesses it and asks for authorisation.
        await Actions(engineer).GetByRole(AriaRole.Button, new() { Name = "Submit for Assessment" }).ClickAsync();
        await Expect(engineer.Locator(".status-message")).ToContainTextAsync($"{number} is now Assess");
        await Expect(Actions(engineer).GetByRole(AriaRole.Button, new() { Name = "Request Authorization" })).ToHaveCountAsync(0); // the change manager's
        var manager = await _host.SignInAsync("changemanager");
        await manager.GotoAsync($"/Changes/{number}");
        await Expect(StateBadge(manager)).ToHaveTextAsync("Assess");
        await Actions(manager).GetByRole(AriaRole.Button, new() { Name = "Request Authorization" }).ClickAsync();
        await Expect(StateBadge(manager)).ToHaveTextAsync("Authorize");
        await Expect(manager.Locator("#frozen")).ToBeVisibleAsync();
        await Expect(manager.Locator("#approvals")).ToContainTextAsync("stage 1: Owner approval");

        // The change manager plans this week's CAB: the change is on its agenda because its CAB approval is open.
        await manager.GotoAsync("/Cab");
        await manager.Locator("summary", new() { HasTextString = "Plan a meeting" }).ClickAsync();
        await manager.GetByLabel("Title").FillAsync($"CAB {marker}");
        await manager.Locator("#Input_PeriodFrom").FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await manager.Locator("#Input_PeriodTo").FillAsync(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await manager.GetByRole(AriaRole.Button, new() { Name = "Plan the meeting" }).ClickAsync();
        await manager.WaitForURLAsync(url => url.Contains("/Cab/Meeting/", StringComparison.Ordinal));
        var meetingUrl = new Uri(manager.Url).PathAndQuery;
        var item = manager.Locator($"#item-{number}");
        await Expect(item).ToContainTextAsync($"Upgrade the checkout to version 5 {marker}");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Start the meeting" }).ClickAsync();
        await Expect(manager.Locator(".ticket-head .ticket-badges .state")).ToHaveTextAsync("In progress");

        // 3. The owners approve from their inbox on a phone; the CAB members' approvals wait for them.
        var carla = await _host.SignInAsync("cabmember", width: Phone);
        var carlaBefore = await PendingCountAsync(carla);
        await ApproveInInboxAsync("nora.kim", number, "Network Operations", "The load balancer is ready for the drain.", "it waits for its other approvals");
        await carla.ReloadAsync();
        Assert.That(await PendingCountAsync(carla), Is.EqualTo(carlaBefore), "the CAB is asked only after the owners");
        await ApproveInInboxAsync("sam.lee", number, "Service Desk", "The desk will warn the shop team.", "it waits for its other approvals");
        await carla.ReloadAsync();
        Assert.That(await PendingCountAsync(carla), Is.EqualTo(carlaBefore + 1), "the owners approved: the CAB stage asks its members");

        // One CAB member approves on her phone: the header's count goes down, but one of three is not half the CAB.
        await carla.GotoAsync("/Approvals");
        var card = carla.Locator(".inbox-item", new() { HasTextString = number });
        await Expect(card).ToContainTextAsync("CAB approval");
        await Expect(card).ToContainTextAsync("Risk: High");
        await card.GetByLabel("Comment").FillAsync("Fine if the snapshot is taken first.");
        await card.ScrollIntoViewIfNeededAsync();
        await carla.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-cab-inbox-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(carla, "the approvals inbox");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve {number} for Carla CAB-Member" }).ClickAsync();
        await Expect(carla.Locator(".status-message")).ToContainTextAsync($"You approved {number}; it waits for its other approvals.");
        await Expect(carla.Locator(".inbox-item", new() { HasTextString = number })).ToHaveCountAsync(0);
        Assert.That(await PendingCountAsync(carla), Is.EqualTo(carlaBefore), "her approval is decided");
        await carla.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-cab-inbox-after-390"), FullPage = true });
        await manager.GotoAsync($"/Changes/{number}");
        await Expect(StateBadge(manager)).ToHaveTextAsync("Authorize");
        await Expect(manager.Locator(".approval-sets")).ToContainTextAsync("CAB");

        // A second member records the board's decision at the meeting: half the CAB has approved, the policy is met.
        var lena = await _host.SignInAsync("lena.fischer");
        await lena.GotoAsync(meetingUrl);
        var lenaItem = lena.Locator($"#item-{number}");
        await Expect(lenaItem).ToContainTextAsync("Risk: High");
        await Expect(lenaItem).ToContainTextAsync(service);
        await Expect(lenaItem).ToContainTextAsync("Approving or rejecting also records your CAB approval of the change");
        await lenaItem.Locator("label.chip", new() { HasTextString = "Approve" }).ClickAsync();
        await lenaItem.Locator("textarea[name=notes]").FillAsync("Approved: backout rehearsed, the desk is warned.");
        await lenaItem.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-cab-meeting-item-1280") });
        await lenaItem.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }).ClickAsync();
        await Expect(lena.Locator($"#item-{number} .state")).ToHaveTextAsync("Scheduled");
        await Expect(lena.Locator($"#item-{number} .cab-decision-box")).ToContainTextAsync("recorded by Lena Fischer");
        await lena.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-cab-meeting-1280"), FullPage = true });
        await manager.GotoAsync(meetingUrl);
        await manager.GetByLabel("What the board discussed and agreed").FillAsync($"{number}: approved with the snapshot as backout.");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Save the minutes" }).ClickAsync();
        await manager.GetByRole(AriaRole.Button, new() { Name = "Close the meeting" }).ClickAsync();
        await Expect(manager.Locator(".ticket-head .ticket-badges .state")).ToHaveTextAsync("Closed");
        await Expect(manager.Locator(".cab-minutes")).ToContainTextAsync($"{number}: approved with the snapshot as backout.");

        // 4. The implementer starts, records the outcome; the change manager closes it after the review.
        await engineer.GotoAsync($"/Changes/{number}");
        await Expect(StateBadge(engineer)).ToHaveTextAsync("Scheduled");
        await Expect(engineer.Locator("#approvals .approval-outcome")).ToHaveTextAsync("Approved");
        await Actions(engineer).GetByRole(AriaRole.Button, new() { Name = "Start Implementation" }).ClickAsync();
        await Expect(StateBadge(engineer)).ToHaveTextAsync("Implement");
        await Actions(engineer).Locator("summary", new() { HasTextString = "Record Outcome" }).ClickAsync();
        await engineer.Locator("#record-outcome-resolutionCode").SelectOptionAsync("successful");
        await engineer.Locator("#record-outcome-resolutionNotes").FillAsync("Version 5 runs; the test order went through and the error rate stayed flat.");
        await engineer.GetByRole(AriaRole.Button, new() { Name = $"Record Outcome {number}" }).ClickAsync();
        await Expect(StateBadge(engineer)).ToHaveTextAsync("Review");
        await Expect(Actions(engineer).GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true })).ToHaveCountAsync(0); // the change manager's

        await manager.GotoAsync($"/Changes/{number}");
        await Actions(manager).GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(manager.Locator(".status-message")).ToContainTextAsync($"{number} is now Closed");
        await Expect(StateBadge(manager)).ToHaveTextAsync("Closed");
        var history = manager.Locator("section.history");
        foreach (var step in new[] { "Assess", "Authorize", "Scheduled", "Implement", "Review", "Closed", "Successful" })
            await Expect(history).ToContainTextAsync(step);
        await Expect(history).ToContainTextAsync("Version 5 runs; the test order went through and the error rate stayed flat.");
        await Expect(manager.Locator("#approvals")).ToContainTextAsync("Approved by Lena Fischer");
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-closed-1280"), FullPage = true });
        await history.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-history-1280") });

        var check = await (await _host.ApiAsync("changemanager")).GetFromJsonAsync<JsonElement>($"/api/v1/changes/{number}");
        Assert.That((check.GetProperty("state").GetString(), check.GetProperty("resolutionCode").GetString()), Is.EqualTo(("closed", "successful")));
    }

    [Test]
    public async Task NormalChange_RejectedByAnApproverFromTheInboxWithAComment_GoesWhereTheProcessSays_AndTheEngineerSeesWhy()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        // Where change.yaml sends a change an approver rejects while it is being authorised.
        var process = _host.App.Services.GetRequiredService<IProcessCatalog>().For(TicketKind.Change);
        var rejected = process.AutomaticTransitions.Single(t => t.Trigger == AutomaticTrigger.ApprovalRejected && t.From == Change.AuthorizeState);
        var target = process.State(rejected.To);
        // A low-risk normal change on a component Network Operations owns: its owners are the only approvers.
        var engineerApi = await _host.ApiAsync("engineer");
        var component = await CiAsync(engineerApi, new { @class = "application-component", name = $"ledger-{marker}", ownerGroup = "Network Operations", criticality = 4 });
        var start = DateOnly.FromDateTime(_host.App.Clock.UtcNow.UtcDateTime).AddDays(14).ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        var created = await engineerApi.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "normal", shortDescription = $"Move the ledger to the new storage {marker}", justification = "The old array is out of support.",
            implementationPlan = "Copy the data, switch the mount, remove the old one.", backoutPlan = "Switch the mount back.",
            testPlan = "Post a test entry and read it back.", plannedStart = start, plannedEnd = start.AddHours(1), ciIds = new[] { component },
            riskAnswers = new Dictionary<string, string> { ["tested-in-staging"] = "yes" },
        });
        var text = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), text);
        var number = JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
        await TransitionAsync(engineerApi, number, "submit-for-assessment");
        await TransitionAsync(await _host.ApiAsync("changemanager"), number, "request-authorization");

        // The approver finds it in her inbox on a phone; a rejection without a comment is refused and decides nothing.
        var (nora, before) = await OpenInboxAsync("nora.kim", number);
        var card = nora.Locator(".inbox-item", new() { HasTextString = number });
        await Expect(card).ToContainTextAsync("as Network Operations: owns");
        var reject = card.GetByRole(AriaRole.Button, new() { Name = $"Reject {number} for Network Operations" });
        await reject.ClickAsync();
        await Expect(nora.Locator(".inbox-item", new() { HasTextString = number })).ToContainTextAsync("Say why you reject the change.");
        Assert.That(await PendingCountAsync(nora), Is.EqualTo(before), "nothing was decided");

        const string why = "The new array has no replication to the second site yet: plan it after the replication is in place.";
        card = nora.Locator(".inbox-item", new() { HasTextString = number });
        await card.GetByLabel("Comment").FillAsync(why);
        await card.ScrollIntoViewIfNeededAsync();
        await nora.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-reject-inbox-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(nora, "the approvals inbox with a rejection typed");
        await card.GetByRole(AriaRole.Button, new() { Name = $"Reject {number} for Network Operations" }).ClickAsync();
        await Expect(nora.Locator(".status-message")).ToContainTextAsync($"You rejected {number}; it is now {target.Label}.");
        await Expect(nora.Locator(".inbox-item", new() { HasTextString = number })).ToHaveCountAsync(0);
        Assert.That(await PendingCountAsync(nora), Is.EqualTo(before - 1), "the header's count drops by the rejected approval");
        await nora.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-reject-inbox-after-390"), FullPage = true });

        // The engineer who raised it reads the rejection, who made it and why on the change's page.
        var engineer = await _host.SignInAsync("engineer");
        await engineer.GotoAsync($"/Changes/{number}");
        await Expect(StateBadge(engineer)).ToHaveTextAsync(target.Label);
        var approvals = engineer.Locator("#approvals");
        await Expect(approvals.Locator(".approval-outcome")).ToHaveTextAsync("Rejected");
        await Expect(approvals).ToContainTextAsync("rejected by Nora Kim");
        var row = approvals.Locator("li.approval-rejected");
        await Expect(row).ToContainTextAsync("Rejected by Nora Kim");
        await Expect(row.Locator(".approval-comment")).ToHaveTextAsync(why);
        await Expect(Actions(engineer).GetByRole(AriaRole.Button, new() { Name = "Submit for Assessment" })).ToBeVisibleAsync();
        await engineer.Locator("#approvals").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-rejected-approvals-1280") });

        var check = await engineerApi.GetFromJsonAsync<JsonElement>($"/api/v1/changes/{number}");
        Assert.That(check.GetProperty("state").GetString(), Is.EqualTo(rejected.To));
    }

    private static async Task TransitionAsync(HttpClient api, string number, string transition)
    {
        var moved = await api.PostAsJsonAsync($"/api/v1/changes/{number}/transitions", new { transition });
        Assert.That((int)moved.StatusCode, Is.EqualTo(200), await moved.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The CMDB the change works on, written through the API as the engineer: a checkout component on a VM, both owned by
    /// Network Operations, and a criticality-1 business service owned by the Service Desk that depends on the component.
    /// </summary>
    private async Task SceneAsync(string component, string vm, string service)
    {
        var api = await _host.ApiAsync("engineer");
        var componentId = await CiAsync(api, new { @class = "application-component", name = component, ownerGroup = "Network Operations", criticality = 3 });
        var vmId = await CiAsync(api, new { @class = "virtual-machine", name = vm, ownerGroup = "Network Operations", criticality = 4, attributes = new { hostname = vm } });
        var serviceId = await CiAsync(api, new { @class = "business-service", name = service, ownerGroup = "Service Desk", criticality = 1 });
        await LinkAsync(api, serviceId, "depends-on", componentId);
        await LinkAsync(api, componentId, "runs-on", vmId);
    }

    private static async Task<long> CiAsync(HttpClient api, object body)
    {
        var created = await api.PostAsJsonAsync("/api/v1/cis", body);
        var text = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    private static async Task LinkAsync(HttpClient api, long source, string type, long target)
    {
        var created = await api.PostAsJsonAsync("/api/v1/relationships", new { sourceId = source, type, targetId = target });
        Assert.That((int)created.StatusCode, Is.EqualTo(201), await created.Content.ReadAsStringAsync());
    }

    /// <summary>A member of an owner group approves the group's approval from the inbox on a phone; their header count goes down.</summary>
    private async Task ApproveInInboxAsync(string user, string number, string group, string comment, string outcome)
    {
        var (phone, before) = await OpenInboxAsync(user, number);
        var card = phone.Locator(".inbox-item", new() { HasTextString = number });
        await Expect(card).ToContainTextAsync($"as {group}: owns");
        await Expect(card).ToContainTextAsync("Owner approval");
        await card.GetByLabel("Comment").FillAsync(comment);
        await AssertNoSidewaysScrollAsync(phone, "the approvals inbox");
        await card.ScrollIntoViewIfNeededAsync();
        await phone.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath($"change-owner-inbox-{user}-390") });
        await card.GetByRole(AriaRole.Button, new() { Name = $"Approve {number} for {group}" }).ClickAsync();
        await Expect(phone.Locator(".status-message")).ToContainTextAsync($"You approved {number}; {outcome}");
        Assert.That(await PendingCountAsync(phone), Is.EqualTo(before - 1), $"{user}'s header count");
        await phone.Context.CloseAsync();
    }

    /// <summary>Signs in on a phone and opens the approvals inbox from the header; the header's count then, with the change waiting.</summary>
    private async Task<(IPage Page, int Pending)> OpenInboxAsync(string user, string number)
    {
        var phone = await _host.SignInAsync(user, width: Phone);
        await phone.GetByRole(AriaRole.Link, new() { Name = "Approvals" }).First.ClickAsync();
        await phone.WaitForURLAsync(url => url.EndsWith("/Approvals", StringComparison.Ordinal));
        var pending = await PendingCountAsync(phone);
        Assert.That(pending, Is.GreaterThanOrEqualTo(1), $"{user} has {number} waiting");
        return (phone, pending);
    }

    /// <summary>The count of approvals waiting for the signed-in person in the header (none shown is 0).</summary>
    private static async Task<int> PendingCountAsync(IPage page)
    {
        var badge = page.Locator("nav.main-nav a[href='/Approvals'] .nav-count");
        if (await badge.CountAsync() == 0) return 0;
        var text = await badge.TextContentAsync() ?? "";
        return int.Parse(Regex.Match(text, @"(\d+)\s*$").Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static ILocator StateBadge(IPage page) => page.Locator(".ticket-head .ticket-badges .state");
    private static ILocator Actions(IPage page) => page.Locator("section.actions-bar");
    private static string Local(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, $"{what} scrolls sideways at {Phone} px");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
