using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Itsm.BrowserTests;

/// <summary>
/// Problem management in a real browser on a phone-sized screen: the desk raises a problem from an incident, the
/// problem manager records the root cause and a workaround and publishes the known error, and the desk sees the
/// workaround on another incident linked to it.
/// </summary>
[TestFixture]
public sealed class ProblemJourneyTests
{
    private const int Phone = 390;
    private BrowserHost _host = null!;

    [OneTimeSetUp] public async Task Start() => _host = await BrowserHost.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task AgentRaisesProblemFromIncident_ManagerPublishesKnownError_AgentSeesWorkaroundOnAnotherIncident()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var requester = await _host.ApiAsync("requester");
        var first = await LogAsync(requester, $"VPN drops at home {marker}");
        var second = await LogAsync(requester, $"VPN keeps disconnecting {marker}");

        // The agent raises a problem from the first incident: the form starts from it.
        var agent = await _host.SignInAsync("agent", width: Phone);
        await agent.GotoAsync($"/Incidents/{first}");
        await agent.GetByRole(AriaRole.Link, new() { Name = $"Raise a problem from {first}" }).ClickAsync();
        await Expect(agent.GetByLabel("Short description")).ToHaveValueAsync($"VPN drops at home {marker}");
        await agent.GetByLabel("Short description").FillAsync($"VPN tunnels drop for home workers {marker}");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Raise problem" }).ClickAsync();
        await agent.WaitForURLAsync(url => url.Contains("/Problems/PRB", StringComparison.Ordinal));
        var problem = agent.Url.Split('/')[^1];
        await Expect(agent.Locator("#incidents")).ToContainTextAsync(first);

        // The problem manager records the cause and a workaround, then publishes the known error.
        var manager = await _host.SignInAsync("problemmanager", width: Phone);
        await manager.GotoAsync($"/Problems/{problem}");
        await manager.Locator("summary", new() { HasTextString = "Record root cause" }).ClickAsync();
        await manager.Locator("#rootCause").FillAsync("The firewall drops UDP fragments above 1400 bytes since its upgrade.");
        await manager.Locator("#workaround").FillAsync($"Switch the VPN client to the TCP 443 profile ({marker}).");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Save root cause" }).ClickAsync();
        await Expect(manager.Locator(".status-message")).ToContainTextAsync("recorded");
        await manager.GetByRole(AriaRole.Button, new() { Name = "Publish as known error" }).ClickAsync();
        await Expect(manager.Locator("#root-cause .badge-known-error")).ToBeVisibleAsync();
        await Expect(manager.GetByRole(AriaRole.Button, new() { Name = "Retract known error" })).ToBeVisibleAsync();
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("problem-390"), FullPage = true });
        await manager.Locator(".ticket-head").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("problem-head-390") });
        await manager.Locator("#root-cause").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("problem-root-cause-390") });
        await AssertNoSidewaysScrollAsync(manager, "the problem page");

        // The desk finds it among the known errors, and links the second incident to it from the problem page.
        await agent.GotoAsync($"/Problems/KnownErrors?q={marker}");
        await Expect(agent.Locator(".known-error")).ToContainTextAsync($"Switch the VPN client to the TCP 443 profile ({marker}).");
        await agent.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("known-errors-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(agent, "the known-error list");
        await agent.GotoAsync($"/Problems/{problem}");
        await agent.GetByLabel("Link an incident").FillAsync(second);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Link", Exact = true }).ClickAsync();
        await Expect(agent.Locator("#incidents")).ToContainTextAsync(second);
        await AssertNoSidewaysScrollAsync(agent, "the problem page with its linked incidents");
        await agent.Locator("#incidents").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("problem-incidents-390") });

        // On the second incident the problem panel shows the known error's workaround.
        await agent.GotoAsync($"/Incidents/{second}");
        var panel = agent.Locator("#problem");
        await Expect(panel).ToContainTextAsync(problem);
        await Expect(panel.Locator(".badge-known-error")).ToBeVisibleAsync();
        await Expect(panel.Locator(".workaround")).ToContainTextAsync($"Switch the VPN client to the TCP 443 profile ({marker}).");
        await panel.ScrollIntoViewIfNeededAsync();
        await panel.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("incident-problem-panel-390") });
        await agent.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("incident-with-problem-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(agent, "the incident page");

        var check = await (await _host.ApiAsync("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/problems/{problem}");
        Assert.That(check.GetProperty("isKnownError").GetBoolean(), Is.True);
        Assert.That(check.GetProperty("incidents").EnumerateArray().Select(i => i.GetProperty("number").GetString()), Is.EquivalentTo(new[] { first, second }));
    }

    [Test]
    public async Task ProblemQueue_OnAPhone_ShowsTheDemoProblemsAsCards()
    {
        var manager = await _host.SignInAsync("problemmanager", width: Phone);
        await manager.GotoAsync("/Problems?queue=all-open");
        await Expect(manager.Locator("table.ticket-table tbody tr").First).ToBeVisibleAsync();
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("problem-queue-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(manager, "the problem queue");

        // A demo problem resolved with its fix applied: the desk may resolve its open linked incidents in one step.
        var agent = await _host.SignInAsync("agent", width: Phone);
        await agent.GotoAsync("/Problems?queue=all&state=resolved");
        await agent.Locator("table.ticket-table tbody tr a.ticket-link").First.ClickAsync();
        await Expect(agent.Locator("#incidents")).ToBeVisibleAsync();
        var resolveAll = agent.Locator("#incidents summary", new() { HasTextString = "Resolve" });
        if (await resolveAll.CountAsync() > 0) await resolveAll.ClickAsync();
        await agent.Locator("#incidents").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("resolved-problem-incidents-390") });
        await AssertNoSidewaysScrollAsync(agent, "a resolved problem's page");
    }

    private static async Task<string> LogAsync(HttpClient api, string shortDescription)
    {
        var created = await api.PostAsJsonAsync("/api/v1/incidents", new { shortDescription, category = "network", impact = 2, urgency = 2 });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, $"{what} scrolls sideways at {Phone} px");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
