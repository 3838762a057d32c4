using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Changes;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Pages;

/// <summary>
/// The CAB pages' forms, posted as a browser does (signed-in cookie and the form's anti-forgery token): planning a
/// meeting, starting it, recording decisions (which decide the member's CAB approval), minutes, reordering and closing;
/// what each role is offered; and what a forged or stale post gets.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class CabPageTests(DbProvider provider) : CabFixture(provider)
{
    private readonly Dictionary<string, HttpClient> _browsers = [];

    [Test]
    public async Task PlanForm_WhenChangeManagerPlans_CreatesTheMeetingWithTheAwaitingChangesAndOpensTheWorkbench()
    {
        var period = CabScene.Period(App, 1);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(2));
        var day = period.From.UtcDateTime.ToString("yyyy-MM-dd");
        var last = period.To.AddDays(-1).UtcDateTime.ToString("yyyy-MM-dd");

        var (response, html) = await PostFormAsync("changemanager", "/Cab", "/Cab?handler=Plan", new()
        {
            ["Input.Title"] = "Page-planned CAB", ["Input.Date"] = day, ["Input.StartTime"] = "10:00", ["Input.EndTime"] = "11:30",
            ["Input.PeriodFrom"] = day, ["Input.PeriodTo"] = last, ["Input.ChangeNumbers"] = "",
        });

        AssertRedirectTo(response, "/Cab/Meeting/", html);
        var page = await PageAsync("changemanager", response.Headers.Location?.ToString());
        Assert.That(page, Does.Contain("Page-planned CAB").And.Contain("is planned with 1 change"));
        Assert.That(page, Does.Contain($"id=\"item-{number}\""), "the awaiting change is on the agenda");
        Assert.That(page, Does.Contain("10:00–11:30 UTC"));
        Assert.That(page, Does.Contain("handler=Start"), "the change manager may start it");
    }

    [Test]
    public async Task PlanForm_WhenThePeriodEndsBeforeItStarts_ShowsTheErrorByTheFieldAndPlansNothing()
    {
        var before = await TotalAsync();

        var (response, html) = await PostFormAsync("changemanager", "/Cab", "/Cab?handler=Plan", new()
        {
            ["Input.Title"] = "Backwards", ["Input.Date"] = "2031-02-03", ["Input.StartTime"] = "10:00", ["Input.EndTime"] = "11:00",
            ["Input.PeriodFrom"] = "2031-02-10", ["Input.PeriodTo"] = "2031-02-01",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("The period must end after it starts.").And.Contain("href=\"#Input_PeriodTo\""));
        Assert.That(html, Does.Contain("value=\"Backwards\""), "what was typed is kept");
        Assert.That(await TotalAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task Workbench_WhenTheBoardDecidesThroughTheForms_RecordsDecisionsAndApprovalsAndTheChangeMovesOn()
    {
        var period = CabScene.Period(App, 2);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        await Scene.ApproveOwnersAsync(number);
        var path = await PlanAsync(period);

        var (started, startHtml) = await PostFormAsync("changemanager", path, path + "?handler=Start", new() { ["version"] = await VersionAsync(path) });
        AssertRedirectTo(started, path, startHtml);
        var member = await PageAsync("cabmember", path);
        Assert.That(member, Does.Contain("handler=Decide").And.Contain("also records your CAB approval"));
        Assert.That(member, Does.Not.Contain("handler=Close"), "a CAB member does not run the meeting");
        Assert.That(member, Does.Contain($"/Cmdb/Impact?ci="), "the blast radius links to the CMDB graph");

        var (first, firstHtml) = await PostFormAsync("cabmember", path, path + "?handler=Decide", new()
        {
            ["changeNumber"] = number, ["decision"] = "approve", ["notes"] = "Fine by operations.", ["version"] = await VersionAsync(path),
        });
        AssertRedirectTo(first, path, firstHtml);
        var shown = await PageAsync("cabmember", path);
        Assert.That(shown, Does.Contain("Your CAB approval is recorded as given").And.Contain("1 of 3 approved"));
        Assert.That(shown, Does.Contain("Fine by operations."));

        var (second, secondHtml) = await PostFormAsync("lena.fischer", path, path + "?handler=Decide", new()
        {
            ["changeNumber"] = number, ["decision"] = "approve", ["notes"] = "", ["version"] = await VersionAsync(path),
        });
        AssertRedirectTo(second, path, secondHtml);
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("scheduled"));
        Assert.That(await PageAsync("lena.fischer", path), Does.Contain("is now Scheduled"));
    }

    [Test]
    public async Task DecideForm_WhenRejectingWithoutNotes_ShowsTheErrorByTheNotesAndRecordsNothing()
    {
        var period = CabScene.Period(App, 3);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var path = await StartedAsync(period);
        var version = await VersionAsync(path);

        var (response, html) = await PostFormAsync("cabmember", path, path + "?handler=Decide", new()
        {
            ["changeNumber"] = number, ["decision"] = "reject", ["notes"] = " ", ["version"] = version,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Say why the board rejects the change.").And.Contain($"href=\"#notes-{number}\""));
        Assert.That(html, Does.Contain($"id=\"notes-{number}-error\""));
        Assert.That(await VersionAsync(path), Is.EqualTo(version));
        Assert.That(await Scene.StateAsync(number), Is.EqualTo("authorize"));
    }

    [Test]
    public async Task DecideForm_WhenTheMeetingChangedSinceItWasShown_SaysSoWithAReloadLink()
    {
        var period = CabScene.Period(App, 4);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var path = await StartedAsync(period);
        var stale = await VersionAsync(path);
        await PostFormAsync("changemanager", path, path + "?handler=Minutes", new() { ["minutes"] = "Quorum reached.", ["version"] = stale });

        var (response, html) = await PostFormAsync("cabmember", path, path + "?handler=Decide", new()
        {
            ["changeNumber"] = number, ["decision"] = "defer", ["notes"] = "", ["version"] = stale,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("Someone else changed this record").And.Contain("Reload the latest version"));
        Assert.That(html, Does.Contain("Quorum reached."));
    }

    [Test]
    public async Task MinutesReorderAndClose_WhenTheChangeManagerUsesTheForms_SaveThemAndAClosedMeetingOffersNoForm()
    {
        var period = CabScene.Period(App, 5);
        var a = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var b = await Scene.HighRiskChangeAsync(period.From.AddDays(2));
        var path = await StartedAsync(period);

        var (moved, movedHtml) = await PostFormAsync("changemanager", path, path + "?handler=Reorder", new()
        {
            ["order"] = b, ["version"] = await VersionAsync(path),
        }, extra: [("order", a)]);
        AssertRedirectTo(moved, path, movedHtml);
        var reordered = await PageAsync("changemanager", path);
        Assert.That(reordered.IndexOf($"id=\"item-{b}\"", StringComparison.Ordinal), Is.LessThan(reordered.IndexOf($"id=\"item-{a}\"", StringComparison.Ordinal)));

        var (saved, savedHtml) = await PostFormAsync("changemanager", path, path + "?handler=Minutes", new()
        {
            ["minutes"] = "Both changes discussed.\nVendor to confirm the window.", ["version"] = await VersionAsync(path),
        });
        AssertRedirectTo(saved, path, savedHtml);
        var (closed, closedHtml) = await PostFormAsync("changemanager", path, path + "?handler=Close", new() { ["version"] = await VersionAsync(path) });
        AssertRedirectTo(closed, path, closedHtml);

        var record = await PageAsync("changemanager", path);
        Assert.That(record, Does.Contain("Both changes discussed.").And.Contain("The meeting is closed"));
        Assert.That(record, Does.Not.Contain("handler=Decide").And.Not.Contain("handler=Minutes").And.Not.Contain("handler=Reorder").And.Not.Contain("handler=Close"));
    }

    [Test]
    public async Task AgendaForms_WhenTheChangeManagerAddsAndTakesOffAChange_EditTheAgendaOneItemAtATime()
    {
        var period = CabScene.Period(App, 8);
        var first = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var later = await Scene.HighRiskChangeAsync(period.To.AddDays(2));
        var path = await PlanAsync(period);
        Assert.That(await PageAsync("changemanager", path), Does.Contain("Add a change that awaits the CAB").And.Contain("handler=RemoveItem"));

        var (added, addedHtml) = await PostFormAsync("changemanager", path, path + "?handler=AddItem", new()
        {
            ["changeNumber"] = later.ToLowerInvariant(), ["version"] = await VersionAsync(path),
        });
        AssertRedirectTo(added, path, addedHtml);
        var shown = await PageAsync("changemanager", path);
        Assert.That(shown, Does.Contain($"{later} is on the agenda, as item 2."));
        Assert.That(shown.IndexOf($"id=\"item-{first}\"", StringComparison.Ordinal), Is.LessThan(shown.IndexOf($"id=\"item-{later}\"", StringComparison.Ordinal)));

        var (removed, removedHtml) = await PostFormAsync("changemanager", path, path + "?handler=RemoveItem", new()
        {
            ["changeNumber"] = first, ["version"] = await VersionAsync(path),
        });
        AssertRedirectTo(removed, path, removedHtml);
        var after = await PageAsync("changemanager", path);
        Assert.That(after, Does.Contain($"{first} is off the agenda.").And.Not.Contain($"id=\"item-{first}\""));
        Assert.That(after, Does.Contain($"id=\"item-{later}\""));
    }

    [Test]
    public async Task AddForm_WhenTheChangeDoesNotAwaitTheCabOrDoesNotExist_SaysSoAndKeepsWhatWasTyped()
    {
        var period = CabScene.Period(App, 9);
        var inAssessment = await Scene.HighRiskChangeAsync(period.To.AddDays(2), authorize: false);
        var path = await PlanAsync(period);
        var version = await VersionAsync(path);

        var (notAwaiting, notAwaitingHtml) = await PostFormAsync("changemanager", path, path + "?handler=AddItem", new()
        {
            ["changeNumber"] = inAssessment, ["version"] = version,
        });
        var (unknown, unknownHtml) = await PostFormAsync("changemanager", path, path + "?handler=AddItem", new()
        {
            ["changeNumber"] = "CHG9999999", ["version"] = version,
        });

        Assert.That((notAwaiting.StatusCode, unknown.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(notAwaitingHtml, Does.Contain($"{inAssessment} does not await the CAB"));
        Assert.That(unknownHtml, Does.Contain("There is no change CHG9999999.").And.Contain("id=\"add-changeNumber-error\"").And.Contain("value=\"CHG9999999\""));
        Assert.That(await VersionAsync(path), Is.EqualTo(version), "nothing was added");
    }

    [TestCase("cabmember")]
    [TestCase("engineer")]
    public async Task AgendaForms_WhenNotAChangeManager_AreNotOfferedAndAPostIsRefused(string user)
    {
        var period = CabScene.Period(App, 10);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var path = await PlanAsync(period);
        var version = await VersionAsync(path);

        var html = await PageAsync(user, path);
        Assert.That(html, Does.Not.Contain("handler=AddItem").And.Not.Contain("handler=RemoveItem").And.Not.Contain("Add a change that awaits the CAB"));
        // The page has another form for the CAB member (none for the engineer): post with a token from the agenda page anyway.
        var browser = await BrowserAsync(user);
        var token = AntiforgeryField().Match(await (await browser.GetAsync("/Changes/Calendar")).Content.ReadAsStringAsync());
        Assert.That(token.Success, Is.True);
        var response = await browser.PostAsync(path + "?handler=RemoveItem", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["changeNumber"] = number, ["version"] = version, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));

        Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), "turned away, not sent back to the workbench");
        Assert.That(await VersionAsync(path), Is.EqualTo(version), "the agenda is as it was");
    }

    [Test]
    public async Task Workbench_WhenAnAgentOpensIt_ShowsTheAgendaWithoutForms()
    {
        var period = CabScene.Period(App, 6);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var path = await StartedAsync(period);

        var html = await PageAsync("agent", path);

        Assert.That(html, Does.Contain($"id=\"item-{number}\"").And.Contain("Risk: High"));
        Assert.That(html, Does.Not.Contain("?handler="), "an agent reads only");
        Assert.That(html, Does.Contain(">CAB</a>"), "the navigation has the CAB entry");
    }

    [Test]
    public async Task Navigation_WhenRequesterSignsIn_HasNoCabEntryAndTheCabPagesAreClosed()
    {
        var browser = await BrowserAsync("requester");
        var home = await browser.GetStringAsync("/Portal");
        var cab = await browser.GetAsync("/Cab");
        Assert.That(home, Does.Not.Contain("href=\"/Cab\""));
        Assert.That(cab.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"));
    }

    [TestCase("Start")]
    [TestCase("Decide")]
    [TestCase("Minutes")]
    [TestCase("Close")]
    [TestCase("AddItem")]
    [TestCase("RemoveItem")]
    public async Task Post_WhenTheFormHasNoAntiforgeryToken_Returns400AndChangesNothing(string handler)
    {
        var period = CabScene.Period(App, 7);
        var number = await Scene.HighRiskChangeAsync(period.From.AddDays(1));
        var path = await PlanAsync(period);
        if (handler is "Decide" or "Close") await PostFormAsync("changemanager", path, path + "?handler=Start", new() { ["version"] = await VersionAsync(path) });
        var version = await VersionAsync(path);

        var response = await (await BrowserAsync("changemanager")).PostAsync(path + "?handler=" + handler, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["version"] = version, ["changeNumber"] = number, ["decision"] = "defer", ["minutes"] = "forged",
        }));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await VersionAsync(path), Is.EqualTo(version));
    }

    /// <summary>A page's HTML as text (the encoder writes non-ASCII characters as references).</summary>
    private async Task<string> PageAsync(string user, string? path) => WebUtility.HtmlDecode(await (await BrowserAsync(user)).GetStringAsync(path));

    private async Task<HttpClient> BrowserAsync(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser)) _browsers[user] = browser = await App.SignInBrowserAsync(user);
        return browser;
    }

    /// <summary>Plans a meeting through the API and returns its workbench's path.</summary>
    private async Task<string> PlanAsync((DateTimeOffset From, DateTimeOffset To) period) =>
        "/Cab/Meeting/" + (await Scene.PlanAsync(period)).GetProperty("id").GetString();

    private async Task<string> StartedAsync((DateTimeOffset From, DateTimeOffset To) period)
    {
        var path = await PlanAsync(period);
        await IncidentApi.ExpectAsync(await App.Api("changemanager").PostAsync("/api/v1/cab/meetings/" + path.Split('/')[^1] + "/start", null), HttpStatusCode.OK);
        return path;
    }

    private async Task<string> VersionAsync(string path)
    {
        var meeting = await IncidentApi.ExpectAsync(await App.Api("admin").GetAsync("/api/v1/cab/meetings/" + path.Split('/')[^1]), HttpStatusCode.OK);
        return meeting.GetProperty("version").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<int> TotalAsync() =>
        (await IncidentApi.ExpectAsync(await App.Api("admin").GetAsync("/api/v1/cab/meetings?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();

    /// <summary>Opens <paramref name="page"/> and posts one of its forms with the page's anti-forgery token.</summary>
    private async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(string user, string page, string action, Dictionary<string, string> fields,
        IReadOnlyList<(string, string)>? extra = null)
    {
        var browser = await BrowserAsync(user);
        var form = await browser.GetAsync(page);
        var html = await form.Content.ReadAsStringAsync();
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {page}");
        var token = AntiforgeryField().Match(html);
        Assert.That(token.Success, Is.True, $"{page} has a form with an anti-forgery token");
        var pairs = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        pairs.AddRange((extra ?? []).Select(e => new KeyValuePair<string, string>(e.Item1, e.Item2)));
        pairs.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        var response = await browser.PostAsync(action, new FormUrlEncodedContent(pairs));
        return (response, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static void AssertRedirectTo(HttpResponseMessage response, string path, string html)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), html.Length > 3000 ? html[..3000] : html);
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith(path));
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
