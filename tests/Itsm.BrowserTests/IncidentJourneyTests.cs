using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Itsm.BrowserTests;

/// <summary>The main journey in a real browser: the desk takes and resolves an incident, the caller sees it resolved and reopens it.</summary>
[TestFixture]
public sealed class IncidentJourneyTests
{
    private BrowserHost _host = null!;

    [OneTimeSetUp] public async Task Start() => _host = await BrowserHost.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task AgentTakesAndResolves_ThenRequesterSeesResolvedAndReopens()
    {
        // The requester reports it (through the API: the portal form has its own test below); Network → Network Operations, the agent's group.
        var title = "Browser journey " + Guid.NewGuid().ToString("N")[..8];
        var created = await (await _host.ApiAsync("requester")).PostAsJsonAsync("/api/v1/incidents", new { shortDescription = title, category = "network", urgency = 2 });
        var number = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;

        var agent = await _host.SignInAsync("agent");
        await agent.GotoAsync("/Incidents?queue=my-groups-unassigned&q=" + Uri.EscapeDataString(title));
        await agent.GetByRole(AriaRole.Link, new() { Name = number }).First.ClickAsync();
        await agent.GetByRole(AriaRole.Button, new() { Name = "Take" }).ClickAsync();
        await Expect(agent.Locator(".ticket-side")).ToContainTextAsync("Adam Agent");

        await agent.Locator("summary", new() { HasTextString = "Resolve" }).ClickAsync();
        await agent.Locator("#resolve-resolutionCode").SelectOptionAsync("solved-permanently");
        await agent.Locator("#resolve-resolutionNotes").FillAsync("Reset the access point on floor 3.");
        await agent.Locator("form:has(#resolve-resolutionNotes) button[type=submit]").ClickAsync();
        await Expect(agent.Locator("body")).ToContainTextAsync("Resolved");
        await agent.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("agent-resolved"), FullPage = true });

        var requester = await _host.SignInAsync("requester", width: 390);
        await requester.GotoAsync("/Portal");
        var row = requester.Locator($"text={number}").First;
        await Expect(row).ToBeVisibleAsync();
        await requester.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("requester-portal-390"), FullPage = true });
        await row.ClickAsync();
        await Expect(requester.Locator("body")).ToContainTextAsync("Resolved");
        await Expect(requester.Locator("body")).ToContainTextAsync("Reset the access point on floor 3.");

        var reopenForm = requester.Locator("summary", new() { HasTextString = "Reopen" });
        if (await reopenForm.CountAsync() > 0)
        {
            await reopenForm.ClickAsync();
            await requester.Locator("#reopen-reopenReason").FillAsync("It drops again every few minutes.");
            await requester.Locator("form:has(#reopen-reopenReason) button[type=submit]").ClickAsync();
        }
        else
        {
            await requester.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        }
        await Expect(requester.Locator("body")).ToContainTextAsync("In Progress");
        await requester.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("requester-reopened-390"), FullPage = true });

        // The page has no sideways scrolling on a phone.
        var overflow = await requester.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, "the incident page scrolls sideways at 390 px");

        var check = await (await _host.ApiAsync("agent")).GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{number}");
        Assert.That(check.GetProperty("state").GetString(), Is.EqualTo("in-progress"));
        Assert.That(check.GetProperty("reopenCount").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task RequesterReportsIncidentFromPortal_ItAppearsInMyTickets()
    {
        var page = await _host.SignInAsync("requester", width: 390);
        await page.GotoAsync("/Portal/Report");
        var title = "Printer offline " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("What is wrong?").FillAsync(title);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send report" }).ClickAsync();
        await Expect(page.Locator("body")).ToContainTextAsync(title);
        await Expect(page.Locator("body")).ToContainTextAsync("New");

        await page.GotoAsync("/Portal");
        await Expect(page.Locator("body")).ToContainTextAsync(title);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
