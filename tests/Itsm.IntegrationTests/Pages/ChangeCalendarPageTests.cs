using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.Domain.Changes.Scheduling;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Pages;

/// <summary>
/// The change calendar page (month and week, blackouts, bad query values), its subscribe panel and the ICS feed it
/// links to, and the approval delegations page, through forms posted as a browser does (signed-in cookie and the
/// form's anti-forgery token); a requester turned away from both.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class ChangeCalendarPageTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private readonly Dictionary<string, HttpClient> _browsers = [];

    private async Task<HttpClient> BrowserAsync(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser)) _browsers[user] = browser = await App.SignInBrowserAsync(user);
        return browser;
    }

    private async Task<string> PageAsync(string user, string path)
    {
        var response = await (await BrowserAsync(user)).GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {(html.Length > 2000 ? html[..2000] : html)}");
        return html;
    }

    /// <summary>Opens <paramref name="page"/> and posts one of its forms with the page's anti-forgery token.</summary>
    private async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(string user, string page, string action, Dictionary<string, string> fields)
    {
        var html = await PageAsync(user, page);
        var token = AntiforgeryField().Match(html);
        Assert.That(token.Success, Is.True, $"{page} has a form with an anti-forgery token");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        var response = await (await BrowserAsync(user)).PostAsync(action, new FormUrlEncodedContent(fields));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static void AssertRedirectTo(HttpResponseMessage response, string path, string html)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), html.Length > 3000 ? html[..3000] : html);
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith(path));
    }

    /// <summary>A change planned for [start, end), raised by the engineer; canceled right away when asked.</summary>
    private async Task<string> PlannedAsync(string shortDescription, DateTimeOffset start, DateTimeOffset end, bool cancel = false)
    {
        var number = await App.RaiseChangeAsync("engineer", new
        {
            type = "normal", shortDescription, description = "Raised by a calendar page test", justification = "Keeps the service supported",
            implementationPlan = "Deploy", backoutPlan = "Roll back", testPlan = "Health check", plannedStart = start, plannedEnd = end,
        });
        if (cancel)
            await IncidentApi.ExpectAsync(await App.Api("engineer").PostAsJsonAsync($"/api/v1/changes/{number}/transitions",
                new { transition = "cancel", fields = new { cancelReason = "Not needed after all" } }), HttpStatusCode.OK);
        return number;
    }

    /// <summary>The HTML of one day of the grid (its &lt;li id="day-yyyy-MM-dd"&gt;), or null when the view does not show it.</summary>
    private static string? Day(string html, DateOnly day)
    {
        var id = html.IndexOf($"id=\"day-{Iso(day)}\"", StringComparison.Ordinal);
        if (id < 0) return null;
        var start = html.LastIndexOf("<li", id, StringComparison.Ordinal);
        var next = html.IndexOf("id=\"day-", id + 10, StringComparison.Ordinal);
        var end = next >= 0 ? html.LastIndexOf("<li", next, StringComparison.Ordinal) : html.IndexOf("</ol>", id, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static DateTimeOffset At(DateOnly d, int hour) => new(d.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Utc));
    private DateOnly Today => DateOnly.FromDateTime(App.Clock.UtcNow.UtcDateTime);
    private static DateOnly Monday(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    [Test]
    public async Task MonthAndWeek_ListTheChangesPlannedInThem_OnTheirDays_AndNoOthers()
    {
        var marker = Marker();
        // A month half a year ahead, away from the other tests' changes; a Wednesday in its second week.
        var month = new DateOnly(Today.Year, Today.Month, 1).AddMonths(6);
        var wednesday = Monday(month.AddDays(7)).AddDays(2);
        var inWeek = await PlannedAsync($"In the week {marker}", At(wednesday, 9), At(wednesday, 11));
        var overnight = await PlannedAsync($"Overnight {marker}", At(wednesday.AddDays(1), 22), At(wednesday.AddDays(2), 4));
        var laterInMonth = await PlannedAsync($"Later in the month {marker}", At(wednesday.AddDays(14), 13), At(wednesday.AddDays(14), 14));
        var nextMonth = await PlannedAsync($"Next month {marker}", At(month.AddMonths(1).AddDays(14), 9), At(month.AddMonths(1).AddDays(14), 10));
        var canceled = await PlannedAsync($"Canceled {marker}", At(wednesday, 12), At(wednesday, 13), cancel: true);

        var monthPage = await PageAsync("cabmember", $"/Changes/Calendar?date={Iso(month.AddDays(3))}");
        var weekPage = await PageAsync("cabmember", $"/Changes/Calendar?view=week&date={Iso(wednesday)}");

        Assert.That(monthPage, Does.Contain($">{month.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}</h2>"), "the month's title");
        Assert.That(monthPage, Does.Contain(inWeek).And.Contain(overnight).And.Contain(laterInMonth));
        Assert.That(monthPage, Does.Not.Contain(nextMonth).And.Not.Contain(canceled), "neither next month's change nor a canceled one");
        var day = Day(monthPage, wednesday)!;
        Assert.That(day, Does.Contain($"href=\"/Changes/{inWeek}\"").And.Contain($"In the week {marker}").And.Contain(Html("09:00–11:00")),
            "on its day, as a link to the change with its window");
        Assert.That(day, Does.Contain("state state-new\">New<").And.Contain("Risk: "), "with its state and risk");
        Assert.That(Day(monthPage, wednesday.AddDays(1)), Does.Contain(overnight).And.Contain("from 22:00"));
        Assert.That(Day(monthPage, wednesday.AddDays(2)), Does.Contain(overnight).And.Contain("until 04:00"), "an overnight change on both its days");
        Assert.That(Day(monthPage, wednesday.AddDays(3)), Does.Not.Contain(overnight));

        Assert.That(weekPage, Does.Contain(inWeek).And.Contain(overnight));
        Assert.That(weekPage, Does.Not.Contain(laterInMonth).And.Not.Contain(nextMonth).And.Not.Contain(canceled), "only the week's changes");
        Assert.That(Day(weekPage, Monday(wednesday)), Is.Not.Null, "the week starts on Monday");
        Assert.That(Day(weekPage, Monday(wednesday).AddDays(-1)), Is.Null);
        Assert.That(Day(weekPage, Monday(wednesday).AddDays(7)), Is.Null, "and has seven days");
        Assert.That(weekPage, Does.Contain($"href=\"/Changes/Calendar?view=week&amp;date={Iso(wednesday.AddDays(-7))}\"").And.Contain(
            $"href=\"/Changes/Calendar?view=week&amp;date={Iso(wednesday.AddDays(7))}\""), "previous and next week");
        Assert.That(monthPage, Does.Contain($"href=\"/Changes/Calendar?date={Iso(month.AddMonths(-1))}\"").And.Contain(
            $"href=\"/Changes/Calendar?date={Iso(month.AddMonths(1))}\""), "previous and next month");

        var detail = await PageAsync("cabmember", $"/Changes/{inWeek}");
        Assert.That(detail, Does.Contain($"In the week {marker}"), "the calendar's link opens the change");
    }

    [Test]
    public async Task Month_WithoutAQuery_IsTodaysMonth_AndTheChangesListLinksToIt()
    {
        var marker = Marker();
        var number = await PlannedAsync($"Today's month {marker}", At(Today, 1), At(Today, 2));

        var page = await PageAsync("engineer", "/Changes/Calendar");

        Assert.That(page, Does.Contain($">{Today.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}</h2>"));
        Assert.That(Day(page, Today), Does.Contain("cal-today").And.Contain(number));
        Assert.That(page, Does.Contain("<a href=\"/Changes/Calendar\" aria-current=\"page\">Change calendar</a>"), "in the main navigation");
        var list = await PageAsync("engineer", "/Changes");
        Assert.That(list, Does.Contain("<a href=\"/Changes/Calendar\">Change calendar</a>"), "a related link on the changes list");
        Assert.That(list, Does.Not.Contain("Unauthorised CMDB writes"), "the unauthorised writes are for change managers");
        Assert.That(await PageAsync("changemanager", "/Changes"), Does.Contain("<a href=\"/Changes/UnauthorisedWrites\">Unauthorised CMDB writes</a>"));
    }

    [Test]
    public async Task Blackouts_AreListedAndMarkedOnTheirDays()
    {
        var blackout = App.Services.GetRequiredService<ChangeWindows>().Blackouts.First(b => b.Scope == BlackoutScope.Global);
        var first = DateOnly.FromDateTime(blackout.Start.UtcDateTime);

        var page = await PageAsync("agent", $"/Changes/Calendar?date={Iso(first)}");
        var week = await PageAsync("agent", $"/Changes/Calendar?view=week&date={Iso(first)}");

        foreach (var html in new[] { page, week })
        {
            Assert.That(html, Does.Contain("Blackouts in this").And.Contain($"<strong>{Html(blackout.Label)}</strong>").And.Contain("no changes to everything"));
            Assert.That(Day(html, first), Does.Contain($"Blackout: {Html(blackout.Label)}").And.Contain("cal-in-blackout"));
        }
        var dayBefore = Day(page, first.AddDays(-1));
        Assert.That(dayBefore, Is.Not.Null.And.Not.Contain("Blackout:"), "not the day before it starts");
        var clear = DateOnly.FromDateTime(blackout.End.UtcDateTime).AddDays(2);
        Assert.That(Day(await PageAsync("agent", $"/Changes/Calendar?view=week&date={Iso(clear)}"), clear), Does.Not.Contain("Blackout:"), "not after it ends");
    }

    [TestCase("date=2026-13-45", "Give the date as yyyy-MM-dd", "#date")]
    [TestCase("date=tomorrow&view=week", "Give the date as yyyy-MM-dd", "#date")]
    [TestCase("date=0001-01-01", "Give the date as yyyy-MM-dd", "#date")]
    [TestCase("view=year", "The calendar has a month and a week view; showing the month.", "#view")]
    public async Task BadQueryValues_SayWhatIsWrong_AndFallBack(string query, string message, string link)
    {
        var page = await PageAsync("agent", "/Changes/Calendar?" + query);

        Assert.That(page, Does.Contain(message).And.Contain($"href=\"{link}\""), "said at the top, linking to the field");
        var week = query.Contains("view=week", StringComparison.Ordinal);
        Assert.That(page, Does.Contain(week ? "class=\"cal cal-week\"" : "class=\"cal cal-month\""));
        Assert.That(Day(page, Today), Does.Contain("cal-today"), "today's period instead");
        if (!week) Assert.That(page, Does.Contain($">{Today.ToString("MMMM yyyy", CultureInfo.InvariantCulture)}</h2>"));
    }

    [Test]
    public async Task Subscribe_ShowsTheLinkOnce_TheFeedWorksWithIt_AndRevokingEndsIt()
    {
        var marker = Marker();
        var start = At(Today.AddDays(5), 8);
        var number = await PlannedAsync($"On the feed {marker}", start, start.AddHours(2));
        var before = await PageAsync("changemanager", "/Changes/Calendar");
        Assert.That(before, Does.Not.Contain("/feeds/changes.ics?key="), "no link shown before one is made");

        var (made, html) = await PostFormAsync("changemanager", "/Changes/Calendar", "/Changes/Calendar?handler=Subscribe", []);

        Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with the new link");
        Assert.That(made.Headers.CacheControl?.NoStore, Is.True, "the page with the secret is not cached");
        var url = WebUtility.HtmlDecode(FeedUrl().Match(html).Groups[1].Value);
        Assert.That(url, Does.StartWith("http://localhost/feeds/changes.ics?key="));
        var feed = await FeedAsync(url);
        Assert.That(feed.Status, Is.EqualTo(200));
        Assert.That(feed.MediaType, Is.EqualTo("text/calendar"));
        Assert.That(Unfold(feed.Text), Does.Contain($"SUMMARY:{number} On the feed {marker}").And.Contain($"URL:http://localhost/Changes/{number}\r\n"),
            "the change with an absolute link to its page");
        var eventPage = await (await BrowserAsync("changemanager")).GetAsync(new Uri($"http://localhost/Changes/{number}").PathAndQuery);
        Assert.That(eventPage.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the event's link opens the change");

        var after = await PageAsync("changemanager", "/Changes/Calendar");
        Assert.That(after, Does.Contain("You have a calendar link, made").And.Not.Contain("/feeds/changes.ics?key="), "shown only once");
        Assert.That(after, Does.Contain("Revoke the link"));

        var (revoked, revokedHtml) = await PostFormAsync("changemanager", "/Changes/Calendar?view=week", "/Changes/Calendar?handler=Revoke&view=week", []);
        AssertRedirectTo(revoked, "/Changes/Calendar?view=week", revokedHtml);
        Assert.That((await FeedAsync(url)).Status, Is.EqualTo(404), "the old link no longer works");
        var now = await PageAsync("changemanager", "/Changes/Calendar?view=week");
        Assert.That(now, Does.Contain("Your calendar link is revoked").And.Contain("You have no calendar link.").And.Not.Contain("Revoke the link"));
    }

    [Test]
    public async Task Subscribe_Again_ReplacesTheLink()
    {
        var (_, first) = await PostFormAsync("engineer", "/Changes/Calendar", "/Changes/Calendar?handler=Subscribe", []);
        var (_, second) = await PostFormAsync("engineer", "/Changes/Calendar", "/Changes/Calendar?handler=Subscribe", []);
        var (a, b) = (WebUtility.HtmlDecode(FeedUrl().Match(first).Groups[1].Value), WebUtility.HtmlDecode(FeedUrl().Match(second).Groups[1].Value));

        Assert.That(a, Is.Not.EqualTo(b).And.Not.Empty);
        Assert.That((await FeedAsync(a)).Status, Is.EqualTo(404), "the earlier link stops working");
        Assert.That((await FeedAsync(b)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Requester_IsTurnedAwayFromTheCalendarAndTheDelegations_AndGetsNoLink()
    {
        var browser = await BrowserAsync("requester");
        foreach (var path in new[] { "/Changes/Calendar", "/Changes/Calendar?view=week", "/Approvals/Delegations" })
        {
            var response = await browser.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), path);
            Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), path);
        }
        foreach (var action in new[] { "/Changes/Calendar?handler=Subscribe", "/Changes/Calendar?handler=Revoke", "/Approvals/Delegations?handler=Delegate" })
        {
            var (response, html) = await PostFormAsync("requester", "/Portal", action, new()
            {
                ["Input.To"] = "agent", ["Input.Ends"] = At(Today.AddDays(3), 9).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), action);
            Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), action);
            Assert.That(html, Does.Not.Contain("/feeds/changes.ics"), action);
        }
        var portal = await PageAsync("requester", "/Portal");
        Assert.That(portal, Does.Not.Contain("href=\"/Changes/Calendar\""), "no link to the calendar");
    }

    [Test]
    public async Task Delegations_CreateListAndRevoke_ThroughTheForms()
    {
        var inbox = await PageAsync("changemanager", "/Approvals");
        Assert.That(inbox, Does.Contain("href=\"/Approvals/Delegations\""), "the inbox links to the delegations");
        var now = App.Clock.UtcNow;
        var ends = Minute(now.AddDays(7));
        var laterStart = Minute(now.AddDays(20));

        var (active, activeHtml) = await PostFormAsync("changemanager", "/Approvals/Delegations", "/Approvals/Delegations?handler=Delegate", new()
        {
            ["Input.To"] = " cabmember ", ["Input.Starts"] = "", ["Input.Ends"] = Local(ends),
        });
        AssertRedirectTo(active, "/Approvals/Delegations", activeHtml);
        Assert.That(await PageAsync("changemanager", "/Approvals/Delegations"), Does.Contain($"Carla CAB-Member may decide your approvals until {Display(ends)}."),
            "the status message");
        var (future, futureHtml) = await PostFormAsync("changemanager", "/Approvals/Delegations", "/Approvals/Delegations?handler=Delegate", new()
        {
            ["Input.To"] = "engineer", ["Input.Starts"] = Local(laterStart), ["Input.Ends"] = Local(laterStart.AddDays(3)),
        });
        AssertRedirectTo(future, "/Approvals/Delegations", futureHtml);

        var given = await GivenAsync("changemanager");
        var toCab = given.Single(d => d.Text("toUserName") == "Carla CAB-Member" && d.GetProperty("ends").GetDateTimeOffset() == ends);
        var toEngineer = given.Single(d => d.GetProperty("starts").GetDateTimeOffset() == laterStart);
        Assert.That(toCab.GetProperty("active").GetBoolean(), Is.True, "a blank start is now");
        Assert.That((toEngineer.GetProperty("active").GetBoolean(), toEngineer.GetProperty("ends").GetDateTimeOffset()), Is.EqualTo((false, laterStart.AddDays(3))));
        var page = await PageAsync("changemanager", "/Approvals/Delegations");
        var cabItem = Item(page, toCab.Text("id"));
        Assert.That(cabItem, Does.Contain("Carla CAB-Member").And.Contain("Active now").And.Contain(Display(ends)));
        Assert.That(Item(page, toEngineer.Text("id")), Does.Contain("Starts later").And.Contain(Display(laterStart)));
        var received = await PageAsync("cabmember", "/Approvals/Delegations");
        Assert.That(received, Does.Contain("Delegated to you").And.Contain("<strong>Chen Change-Manager</strong>"), "the delegate sees it too");

        var (revoked, revokedHtml) = await PostFormAsync("changemanager", "/Approvals/Delegations", "/Approvals/Delegations?handler=Revoke", new()
        {
            ["id"] = toEngineer.Text("id"),
        });
        AssertRedirectTo(revoked, "/Approvals/Delegations", revokedHtml);
        var afterRevoke = await PageAsync("changemanager", "/Approvals/Delegations");
        Assert.That(afterRevoke, Does.Contain("The delegation to Erik Engineer is ended"));
        Assert.That(afterRevoke, Does.Not.Contain($"id=\"delegation-{Guid.Parse(toEngineer.Text("id")):N}\""), "a future delegation revoked is gone");
        var left = await GivenAsync("changemanager");
        Assert.That(left.Select(d => d.Text("id")), Does.Contain(toCab.Text("id")).And.Not.Contain(toEngineer.Text("id")));

        var (ended, endedHtml) = await PostFormAsync("changemanager", "/Approvals/Delegations", "/Approvals/Delegations?handler=Revoke", new()
        {
            ["id"] = toCab.Text("id"),
        });
        AssertRedirectTo(ended, "/Approvals/Delegations", endedHtml);
        Assert.That((await GivenAsync("changemanager")).Select(d => d.Text("id")), Does.Not.Contain(toCab.Text("id")), "an active one ends now");
    }

    [TestCase("engineer", "", "+3", "+1", "Input_Ends", "The delegation must end after it starts.")]
    [TestCase("engineer", "", "+2", "+2", "Input_Ends", "The delegation must end after it starts.")]
    [TestCase("admin", "", "", "+100", "Input_Ends", "A delegation may last at most 90 days.")]
    [TestCase("engineer", "", "-3", "-1", "Input_Ends", "The delegation would already be over.")]
    [TestCase("engineer", "", "", "", "Input_Ends", "Say when the delegation ends.")]
    [TestCase("engineer", "engineer", "", "+3", "Input_To", "You cannot delegate your approvals to yourself.")]
    [TestCase("engineer", "requester", "", "+3", "Input_To", "does not work changes and cannot approve them.")]
    [TestCase("engineer", "nobody-such", "", "+3", "Input_To", "There is no user &#x27;nobody-such&#x27;.")]
    [TestCase("engineer", "agent", "", "next week", "Input_Ends", "The value &#x27;next week&#x27; is not valid")]
    public async Task Delegate_WithBadInput_ShowsTheErrorOnTheField_AndChangesNothing(string user, string to, string starts, string ends, string field, string message)
    {
        var before = await GivenAsync(user);
        var now = App.Clock.UtcNow;
        string When(string days) => days.Length == 0 ? "" : double.TryParse(days, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var d)
            ? Local(Minute(now.AddDays(d))) : days;
        var (s, e) = (When(starts), When(ends));

        var (response, html) = await PostFormAsync(user, "/Approvals/Delegations", "/Approvals/Delegations?handler=Delegate", new()
        {
            ["Input.To"] = to.Length == 0 ? "agent" : to, ["Input.Starts"] = s, ["Input.Ends"] = e,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the form again, with the error");
        Assert.That(html, Does.Contain(message), html.Length > 6000 ? html[..6000] : html);
        Assert.That(html, Does.Contain($"href=\"#{field}\""), "the error summary links to the field");
        Assert.That(html, Does.Contain($"id=\"{field}\""));
        Assert.That(FieldError().Matches(html).Where(m => m.Groups[1].Value == field.Replace('_', '.')).Select(m => m.Groups[2].Value),
            Has.Some.Contains(message), "the error under its field");
        Assert.That((await GivenAsync(user)).Select(d => d.Text("id")), Is.EquivalentTo(before.Select(d => d.Text("id"))), "no delegation made");
    }

    [Test]
    public async Task Revoke_SomeoneElsesDelegation_IsNotFound_AndEndsNothing()
    {
        var created = await IncidentApi.ExpectAsync(await App.Api("cabmember").PostAsJsonAsync("/api/v1/approvals/delegations",
            new { to = "changemanager", ends = App.Clock.UtcNow.AddDays(2).ToString("O", CultureInfo.InvariantCulture) }), HttpStatusCode.OK);
        var id = created.GetProperty("given").EnumerateArray().Last(d => d.Text("toUserName") == "Chen Change-Manager").Text("id");

        var (response, _) = await PostFormAsync("engineer", "/Approvals/Delegations", "/Approvals/Delegations?handler=Revoke", new() { ["id"] = id });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await GivenAsync("cabmember")).Select(d => d.Text("id")), Does.Contain(id), "still in force");
    }

    private async Task<List<JsonElement>> GivenAsync(string user) =>
        (await IncidentApi.ExpectAsync(await App.Api(user).GetAsync("/api/v1/approvals/delegations"), HttpStatusCode.OK))
        .GetProperty("given").EnumerateArray().ToList();

    private async Task<Reply> FeedAsync(string url)
    {
        var anonymous = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        return await anonymous.SendAsync(HttpMethod.Get, new Uri(url).PathAndQuery, null);
    }

    /// <summary>An iCalendar text with its folded lines (RFC 5545 §3.1) put back together.</summary>
    private static string Unfold(string ics) => ics.Replace("\r\n ", "", StringComparison.Ordinal);

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);
    private static string Local(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
    private static string Display(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Item(string html, string id)
    {
        var start = html.IndexOf($"id=\"delegation-{Guid.Parse(id):N}\"", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"delegation {id} is listed");
        return html[start..html.IndexOf("</li>", start, StringComparison.Ordinal)];
    }

    /// <summary>Text as the pages encode it.</summary>
    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("id=\"feed-url\"[^>]*>([^<]+)</textarea>")]
    private static partial Regex FeedUrl();

    [GeneratedRegex("data-valmsg-for=\"([^\"]+)\"[^>]*>([^<]+)<")]
    private static partial Regex FieldError();
}
