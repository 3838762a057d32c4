using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.Domain.Changes.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Itsm.BrowserTests;

/// <summary>
/// The change calendar in a real browser on a phone-sized screen: the change manager finds a planned change in the
/// month (a day list on a phone), switches to the week, opens the change from it, and subscribes from a calendar
/// program with a personal link that the ICS feed then answers; a blackout as shaded days with its name, times and the
/// legend in month and week on the phone; and the same month as a grid on a desktop screen.
/// </summary>
[TestFixture]
public sealed class ChangeCalendarJourneyTests
{
    private const int Phone = 390;
    private BrowserHost _host = null!;

    [OneTimeSetUp] public async Task Start() => _host = await BrowserHost.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task ChangeManager_SeesThePlannedChangeInMonthAndWeek_AndSubscribes()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var today = DateOnly.FromDateTime(_host.App.Clock.UtcNow.UtcDateTime);
        var number = await RaiseAsync($"Patch the booking database {marker}", today, 20);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var manager = await _host.SignInAsync("changemanager", width: Phone);
        await manager.GotoAsync("/Changes");
        await manager.GetByRole(AriaRole.Link, new() { Name = "Change calendar" }).First.ClickAsync();
        await manager.WaitForURLAsync(url => url.Contains("/Changes/Calendar", StringComparison.Ordinal));
        var entry = manager.Locator($"#day-{day} .cal-entry", new() { HasTextString = number });
        await Expect(entry).ToBeVisibleAsync();
        await Expect(entry).ToContainTextAsync($"Patch the booking database {marker}");
        await Expect(entry.Locator(".state")).ToHaveTextAsync("New");
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-month-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(manager, "the month");

        await manager.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await manager.WaitForURLAsync(url => url.Contains("view=week", StringComparison.Ordinal));
        await Expect(manager.Locator(".cal-week .cal-day")).ToHaveCountAsync(7);
        await Expect(manager.Locator($"#day-{day} .cal-entry", new() { HasTextString = number })).ToBeVisibleAsync();
        await manager.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-week-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(manager, "the week");

        await manager.GetByRole(AriaRole.Button, new() { Name = "Subscribe" }).ClickAsync();
        var url = manager.Locator("#feed-url");
        await Expect(url).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(_host.BaseUrl) + "/feeds/changes\\.ics\\?key=.+"));
        await manager.Locator("#subscribe").ScrollIntoViewIfNeededAsync();
        await manager.Locator("#subscribe").ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-subscribe-390") });
        await AssertNoSidewaysScrollAsync(manager, "the page with the new link");
        using var calendarProgram = new HttpClient();
        var feed = await calendarProgram.GetStringAsync(await url.InputValueAsync());
        Assert.That(feed, Does.Contain($"SUMMARY:{number} Patch the booking database {marker}").And.Contain($"URL:{_host.BaseUrl}/Changes/{number}"),
            "the feed answers the link, each event linking to its change");

        await manager.Locator($"#day-{day} .cal-entry-link", new() { HasTextString = number }).ClickAsync();
        await manager.WaitForURLAsync(u => u.EndsWith($"/Changes/{number}", StringComparison.Ordinal));
        await Expect(manager.Locator("h1")).ToContainTextAsync($"Patch the booking database {marker}");
    }

    [Test]
    public async Task Month_OnADesktop_IsAGridOfWeeks_AndTheDelegationsPageFitsAPhone()
    {
        var today = DateOnly.FromDateTime(_host.App.Clock.UtcNow.UtcDateTime);
        var number = await RaiseAsync("Replace the core switch firmware", today, 5);
        await RaiseAsync("Rotate the TLS certificates of the shop", today.AddDays(1), 9);

        var desk = await _host.SignInAsync("cabmember");
        await desk.GotoAsync("/Changes/Calendar");
        await Expect(desk.Locator(".cal-entry", new() { HasTextString = number })).ToBeVisibleAsync();
        var columns = await desk.EvaluateAsync<int>("() => getComputedStyle(document.querySelector('.cal-days')).gridTemplateColumns.split(' ').length");
        Assert.That(columns, Is.EqualTo(7), "a week per row");
        await desk.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-month-1280"), FullPage = true });

        var phone = await _host.SignInAsync("cabmember", width: Phone);
        await phone.GotoAsync("/Approvals");
        await phone.GetByRole(AriaRole.Link, new() { Name = "Delegations" }).ClickAsync();
        await phone.GetByLabel("Delegate to").FillAsync("changemanager");
        await phone.GetByLabel("Until (UTC)").FillAsync(_host.App.Clock.UtcNow.AddDays(5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Delegate", Exact = true }).ClickAsync();
        await Expect(phone.Locator(".status-message")).ToContainTextAsync("may decide your approvals until");
        await Expect(phone.Locator(".delegation-active")).ToContainTextAsync("Chen Change-Manager");
        await phone.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("approval-delegations-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(phone, "the delegations page");
    }

    [Test]
    public async Task Blackout_OnAPhone_IsAShadedDayWithItsNameTimesAndTheLegend_InMonthAndWeek()
    {
        var blackout = _host.App.Services.GetRequiredService<ChangeWindows>().Blackouts.First(b => b.Scope == BlackoutScope.Global);
        var first = DateOnly.FromDateTime(blackout.Start.UtcDateTime);
        var day = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var next = first.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var engineer = await _host.SignInAsync("engineer", width: Phone);
        await engineer.GotoAsync($"/Changes/Calendar?date={day}");
        var shaded = engineer.Locator($"#day-{day}");
        await Expect(shaded).ToBeVisibleAsync();
        await Expect(shaded).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bcal-in-blackout\b"));
        await Expect(shaded.Locator(".cal-blackout-tag")).ToContainTextAsync($"Blackout: {blackout.Label}");
        await Expect(shaded.Locator(".cal-blackout-tag")).ToContainTextAsync($"from {blackout.Start.UtcDateTime:HH:mm}");
        await Expect(engineer.Locator($"#day-{next} .cal-blackout-tag")).ToContainTextAsync($"until {blackout.End.UtcDateTime:HH:mm}");
        await Expect(engineer.Locator(".cal-blackouts")).ToContainTextAsync("no changes to everything");
        var legend = engineer.Locator(".cal-legend");
        await Expect(legend).ToBeVisibleAsync();
        await Expect(legend).ToContainTextAsync("Blackout: no changes");
        // The maintenance windows are listed with what they cover, by class name, and how often they open in the month.
        var weekends = _host.App.Services.GetRequiredService<ChangeWindows>().Maintenance.Single(w => w.ClassCodes.Contains("virtual-machine"));
        var item = engineer.Locator(".cal-maintenance-item").Filter(new() { HasText = weekends.Label });
        await Expect(item).ToContainTextAsync("Virtual machine");
        await Expect(item).ToContainTextAsync(weekends.Describe());
        await Expect(item).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"open \d+ times in this month"));
        await engineer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-blackout-month-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(engineer, "the month with a blackout");

        await engineer.GetByRole(AriaRole.Link, new() { Name = "Week", Exact = true }).ClickAsync();
        await engineer.WaitForURLAsync(url => url.Contains("view=week", StringComparison.Ordinal));
        await Expect(engineer.Locator($"#day-{day}.cal-in-blackout .cal-blackout-tag")).ToContainTextAsync(blackout.Label);
        // The power maintenance falls on a weekend: both its days are in the week.
        var last = DateOnly.FromDateTime(blackout.End.AddTicks(-1).UtcDateTime);
        await Expect(engineer.Locator(".cal-week .cal-in-blackout")).ToHaveCountAsync(last.DayNumber - first.DayNumber + 1);
        await Expect(engineer.Locator(".cal-legend")).ToBeVisibleAsync();
        await engineer.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("change-calendar-blackout-week-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(engineer, "the week with a blackout");
    }

    /// <summary>A normal change planned on <paramref name="day"/> for an hour from <paramref name="hour"/> UTC, raised by the engineer.</summary>
    private async Task<string> RaiseAsync(string shortDescription, DateOnly day, int hour)
    {
        var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Utc));
        var api = await _host.ApiAsync("engineer");
        var created = await api.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "normal", shortDescription, justification = "Vendor security advisory", implementationPlan = "Apply", backoutPlan = "Revert",
            testPlan = "Smoke test", plannedStart = start, plannedEnd = start.AddHours(1),
        });
        var text = await created.Content.ReadAsStringAsync();
        Assert.That((int)created.StatusCode, Is.EqualTo(201), text);
        return JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, $"{what} scrolls sideways at {Phone} px");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
