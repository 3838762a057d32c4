using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.Application.Features.Changes;
using Itsm.IntegrationTests.Support;
using MediatR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Pages;

/// <summary>
/// The change pages' forms, posted as a browser does (signed-in cookie and the form's anti-forgery token): raising a
/// change (normal and from a template, CIs by name and id), what the change's page shows of its assessment and
/// approvals, approving and rejecting from the inbox, the edit page of a change frozen for approval, and a requester
/// turned away from all of it.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class ChangePageTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private readonly Dictionary<string, HttpClient> _browsers = [];

    private async Task<HttpClient> BrowserAsync(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser)) _browsers[user] = browser = await App.SignInBrowserAsync(user);
        return browser;
    }

    /// <summary>Opens <paramref name="page"/> and posts one of its forms with the page's anti-forgery token.</summary>
    private async Task<(HttpResponseMessage Response, string Html)> PostFormAsync(string user, string page, string action, Dictionary<string, string> fields)
    {
        var browser = await BrowserAsync(user);
        var form = await browser.GetAsync(page);
        var html = await form.Content.ReadAsStringAsync();
        Assert.That(form.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {page}");
        var token = AntiforgeryField().Match(html);
        Assert.That(token.Success, Is.True, $"{page} has a form with an anti-forgery token");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        var response = await browser.PostAsync(action, new FormUrlEncodedContent(fields));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static void AssertRedirectTo(HttpResponseMessage response, string path, string html)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), html.Length > 3000 ? html[..3000] : html);
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith(path));
    }

    private async Task<JsonElement> ChangeAsync(string number) =>
        await IncidentApi.ExpectAsync(await App.Api("changemanager").GetAsync($"/api/v1/changes/{number}"), HttpStatusCode.OK);

    private async Task<JsonElement> ApprovalsAsync(string number) =>
        await IncidentApi.ExpectAsync(await App.Api("changemanager").GetAsync($"/api/v1/changes/{number}/approvals"), HttpStatusCode.OK);

    private async Task TransitionAsync(string user, string number, string transition) =>
        await IncidentApi.ExpectAsync(await App.Api(user).PostAsJsonAsync($"/api/v1/changes/{number}/transitions", new { transition }), HttpStatusCode.OK);

    /// <summary>A planned time with seconds, as the API takes it (the forms show minutes).</summary>
    private DateTimeOffset At(double days) => new DateTimeOffset(App.Clock.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(days).AddHours(9).AddSeconds(17);

    /// <summary>A change with a complete plan on the CIs, raised by the engineer through the API.</summary>
    private Task<string> RaisePlannedAsync(string type, string shortDescription, params long[] ciIds) => App.RaiseChangeAsync("engineer", new
    {
        type, shortDescription, description = "Raised by a page test",
        justification = "Keeps the service supported", implementationPlan = "Step one\nStep two", backoutPlan = "Restore the snapshot",
        testPlan = "Health check answers", plannedStart = At(10), plannedEnd = At(10).AddHours(2), ciIds,
    });

    /// <summary>The header's count of approvals waiting for the person signed in (0 when the badge is not shown).</summary>
    private static int HeaderCount(string html)
    {
        var m = NavCount().Match(html);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The requested approval the inbox shows for a change, as its id (from the inbox's hidden field).</summary>
    private static string InboxApprovalId(string html, string number)
    {
        var m = Regex.Match(html, $"name=\"number\" value=\"{number}\" />\\s*<input type=\"hidden\" name=\"approvalId\" value=\"([0-9a-f-]+)\"");
        Assert.That(m.Success, Is.True, $"the inbox lists {number} with a decision form");
        return m.Groups[1].Value;
    }

    [Test]
    public async Task Raise_ThroughTheCreateForm_RaisesTheChangeWithItsPlanCisAndAnswers_OncePerForm()
    {
        var g = new CmdbTestGraph(App, Marker());
        await g.CiAsync("application-component", "cart");
        var vm = await g.CiAsync("virtual-machine", "vm");
        var form = await (await BrowserAsync("engineer")).GetStringAsync("/Changes/Create");
        Assert.That(form, Does.Contain("Planned start (UTC)").And.Contain("Has this change been tested in staging?"), "the window's time zone and the questionnaire");
        Assert.That(form, Does.Contain("value=\"engineer\""), "the implementer is the person raising it unless they name someone else");
        var formId = FormIdField().Match(form).Groups[1].Value;
        var start = At(12);
        var fields = new Dictionary<string, string>
        {
            ["Input.FormId"] = formId, ["Input.Type"] = "normal", ["Input.Template"] = "",
            ["Input.ShortDescription"] = "Page test: upgrade the cart <b>now</b>", ["Input.Description"] = "",
            ["Input.Category"] = "", ["Input.Impact"] = "2", ["Input.Urgency"] = "2",
            ["Input.Cis"] = $" {g.Name("cart")} , {vm}",
            ["Input.Justification"] = "Security fix\r\nfor the cart", ["Input.ImplementationPlan"] = "Deploy v2", ["Input.BackoutPlan"] = "Deploy v1",
            ["Input.TestPlan"] = "Place an order",
            ["Input.PlannedStart"] = start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.PlannedEnd"] = start.AddHours(3).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.Implementer"] = "engineer",
            ["Input.RiskAnswers[tested-in-staging]"] = "no", ["Input.RiskAnswers[backout-tested]"] = "",
        };

        var (first, html) = await PostFormAsync("engineer", "/Changes/Create", "/Changes/Create", new(fields));
        var (again, _) = await PostFormAsync("engineer", "/Changes/Create", "/Changes/Create", new(fields));

        AssertRedirectTo(first, "/Changes/CHG", html);
        Assert.That(again.Headers.Location, Is.EqualTo(first.Headers.Location), "the same form submitted twice raises one change");
        var number = first.Headers.Location!.ToString().Split('/')[^1];
        var change = await ChangeAsync(number);
        Assert.That((change.Text("type"), change.Text("shortDescription"), change.Text("justification")),
            Is.EqualTo(("normal", "Page test: upgrade the cart <b>now</b>", "Security fix\nfor the cart")));
        var minute = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        Assert.That((change.GetProperty("plannedStart").GetDateTimeOffset(), change.GetProperty("plannedEnd").GetDateTimeOffset()),
            Is.EqualTo((minute, minute.AddHours(3))), "the datetime-local values are read as UTC");
        Assert.That(change.Text("implementerName"), Is.EqualTo("Erik Engineer"));
        Assert.That(change.GetProperty("riskAnswers").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"), Is.EqualTo(new[] { "tested-in-staging=no" }));
        Assert.That(change.Text("risk"), Is.EqualTo("high"), "answering 'not tested in staging' raises the risk to High");
        Assert.That((await App.CisAsync("changes", number, "engineer")).AffectedNames(), Is.EquivalentTo(new[] { g.Name("cart"), g.Name("vm") }), "CIs by exact name and by id");
        var page = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}");
        Assert.That(page, Does.Contain("Page test: upgrade the cart &lt;b&gt;now&lt;/b&gt;"), "shown, encoded");
    }

    [Test]
    public async Task Raise_AStandardChangeWithBlankTexts_TakesThemFromTheTemplate()
    {
        var g = new CmdbTestGraph(App, Marker());
        await g.CiAsync("virtual-machine", "patched");
        var prefilled = await (await BrowserAsync("engineer")).GetStringAsync("/Changes/Create?template=os-patch-linux");
        Assert.That(prefilled, Does.Contain("<option selected=\"selected\" value=\"os-patch-linux\">"), "?template= preselects the template");
        var start = At(3);

        var (response, html) = await PostFormAsync("engineer", "/Changes/Create", "/Changes/Create", new()
        {
            ["Input.FormId"] = Guid.NewGuid().ToString("N"), ["Input.Type"] = "standard", ["Input.Template"] = "os-patch-linux",
            ["Input.ShortDescription"] = "", ["Input.Description"] = "", ["Input.Impact"] = "3", ["Input.Urgency"] = "3",
            ["Input.Cis"] = g.Name("patched"), ["Input.Justification"] = "", ["Input.ImplementationPlan"] = "", ["Input.BackoutPlan"] = "",
            ["Input.TestPlan"] = "", ["Input.PlannedStart"] = start.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), ["Input.PlannedEnd"] = "",
            ["Input.Implementer"] = "engineer",
        });

        AssertRedirectTo(response, "/Changes/CHG", html);
        var change = await ChangeAsync(response.Headers.Location!.ToString().Split('/')[^1]);
        Assert.That((change.Text("type"), change.Text("templateCode"), change.Text("shortDescription")),
            Is.EqualTo(("standard", "os-patch-linux", "Monthly Linux security patches on a server or VM")));
        Assert.That(change.Text("implementationPlan"), Does.StartWith("Drain the node from its load balancer pool"));
        Assert.That(change.GetProperty("plannedEnd").GetDateTimeOffset() - change.GetProperty("plannedStart").GetDateTimeOffset(), Is.EqualTo(TimeSpan.FromHours(2)),
            "the end is the start plus the template's duration");
    }

    [Test]
    public async Task Raise_WithACiNameThatNamesNoCi_ShowsTheFieldErrorAndRaisesNothing()
    {
        var marker = Marker();
        var before = (await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync("/api/v1/changes?queue=all-open&pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();

        var (response, html) = await PostFormAsync("engineer", "/Changes/Create", "/Changes/Create", new()
        {
            ["Input.FormId"] = Guid.NewGuid().ToString("N"), ["Input.Type"] = "normal", ["Input.ShortDescription"] = $"Page test: {marker}",
            ["Input.Impact"] = "3", ["Input.Urgency"] = "3", ["Input.Cis"] = $"no-such-ci-{marker}", ["Input.Implementer"] = "engineer",
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the form again, with the error");
        Assert.That(html, Does.Contain(Html($"There is no CI named 'no-such-ci-{marker}'.")));
        Assert.That(html, Does.Contain("href=\"#Input_Cis\""), "the error summary links to the CI field");
        Assert.That(html, Does.Contain($"value=\"no-such-ci-{marker}\""), "what was typed is kept");
        var after = (await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync("/api/v1/changes?queue=all-open&pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();
        Assert.That(after, Is.EqualTo(before), "no change was raised");
    }

    [Test]
    public async Task Details_OfANormalChange_ShowsEveryRiskReasonTheApproversAndWhyAndTheBlastRadius()
    {
        var g = new CmdbTestGraph(App, Marker());
        var shop = await g.CiAsync("business-service", "shop", new Dictionary<string, object?> { ["criticality"] = 1, ["ownerGroup"] = "Application Support" });
        var cart = await g.CiAsync("application-component", "cart", new Dictionary<string, object?> { ["criticality"] = 2, ["ownerGroup"] = "Database Administration" });
        await g.LinkAsync(shop, "depends-on", cart);
        var number = await RaisePlannedAsync("normal", "Page test: cart upgrade", cart);
        var assessment = await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync($"/api/v1/changes/{number}/assessment"), HttpStatusCode.OK);
        var reasons = assessment.GetProperty("risk").GetProperty("reasons").EnumerateArray().Select(r => r.Text("text")).ToList();
        var approvers = assessment.GetProperty("approvers").GetProperty("stages").EnumerateArray()
            .SelectMany(s => s.GetProperty("sets").EnumerateArray()).SelectMany(s => s.GetProperty("approvers").EnumerateArray()).ToList();
        Assert.That(reasons, Has.Count.GreaterThanOrEqualTo(2), "the scene gives several reasons");

        var page = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}");

        foreach (var reason in reasons) Assert.That(page, Does.Contain(Html(reason)), "every risk reason is shown");
        Assert.That(page, Does.Contain($"Risk: {assessment.GetProperty("risk").Text("label")}"));
        // The owner groups of the CI and of the service it impacts, then the CAB's members (the engineer is none of them). The
        // CI's owner, Database Administration, has only the engineer, who raised and implements the change: Change Management
        // approves in its place.
        Assert.That(approvers.Select(a => a.Text("name")), Is.SupersetOf(new[] { "Change Management", "Application Support", "Carla CAB-Member" }));
        foreach (var a in approvers)
            Assert.That(page, Does.Contain($"<strong>{Html(a.Text("name"))}</strong>").And.Contain(Html(a.Text("why"))), "each approver with why");
        Assert.That(page, Does.Contain("Stage 2: CAB approval").And.Contain("Change Advisory Board"), "the CAB after the owners");
        Assert.That(page, Does.Contain($"href=\"/Cmdb/Ci/{shop}\"").And.Contain("impact-path-phrase\">used by<"), "the impacted service with its path");
        Assert.That(page, Does.Contain("handler=Transition").And.Contain("Submit for Assessment"), "the engineer may submit it");
        Assert.That(page, Does.Not.Contain("Frozen for approval"));
    }

    [Test]
    public async Task ApproveFromTheInbox_MovesTheChangeOnAndLowersTheHeaderCount()
    {
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "urgent");
        var number = await RaisePlannedAsync("emergency", "Page test: emergency patch", vm);
        await TransitionAsync("engineer", number, "submit-emergency");
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"));
        var inbox = await (await BrowserAsync("cabmember")).GetStringAsync("/Approvals");
        var count = HeaderCount(inbox);
        Assert.That(count, Is.GreaterThanOrEqualTo(1), "the header counts the pending approval");
        Assert.That(inbox, Does.Contain("Page test: emergency patch").And.Contain("Emergency CAB"));
        var approvalId = InboxApprovalId(inbox, number);
        var engineerPage = await (await BrowserAsync("engineer")).GetStringAsync("/Approvals");
        Assert.That(engineerPage, Does.Not.Contain(number), "never one's own change");

        var (response, html) = await PostFormAsync("cabmember", "/Approvals", "/Approvals?handler=Decide", new()
        {
            ["number"] = number, ["approvalId"] = approvalId, ["version"] = (await ChangeAsync(number)).GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["decision"] = "approve", ["comment"] = "Go ahead",
        });

        AssertRedirectTo(response, "/Approvals", html);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("scheduled"), "one emergency CAB member is enough");
        var approval = (await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray().Single(a => a.Text("id") == approvalId);
        Assert.That((approval.Text("state"), approval.Text("decidedByName"), approval.Text("comment")), Is.EqualTo(("approved", "Carla CAB-Member", "Go ahead")));
        var after = await (await BrowserAsync("cabmember")).GetStringAsync("/Approvals");
        Assert.That(after, Does.Contain($"You approved {number}; it is now Scheduled."));
        Assert.That(HeaderCount(after), Is.EqualTo(count - 1));
        Assert.That(after, Does.Not.Contain($"value=\"{approvalId}\""), "decided: no longer in the inbox");
        var details = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}");
        Assert.That(details, Does.Contain("Approved by Carla CAB-Member").And.Contain("Go ahead"), "the change's page shows who decided");
    }

    [Test]
    public async Task RejectWithoutComment_FromTheInboxOrTheChangesPage_ShowsTheFieldErrorAndDecidesNothing()
    {
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "reject");
        var number = await RaisePlannedAsync("emergency", "Page test: reject me", vm);
        await TransitionAsync("engineer", number, "submit-emergency");
        var approvalId = InboxApprovalId(await (await BrowserAsync("cabmember")).GetStringAsync("/Approvals"), number);
        var version = (await ChangeAsync(number)).GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture);

        var (inboxPost, inboxHtml) = await PostFormAsync("cabmember", "/Approvals", "/Approvals?handler=Decide", new()
        {
            ["number"] = number, ["approvalId"] = approvalId, ["version"] = version, ["decision"] = "reject", ["comment"] = "  ",
        });
        var (detailsPost, detailsHtml) = await PostFormAsync("cabmember", $"/Changes/{number}", $"/Changes/{number}?handler=Decide", new()
        {
            ["approvalId"] = approvalId, ["version"] = version, ["decision"] = "reject", ["comment"] = "",
        });

        foreach (var (response, html) in new[] { (inboxPost, inboxHtml), (detailsPost, detailsHtml) })
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with the error");
            Assert.That(html, Does.Contain("<div class=\"field-error\" id=\"comment-error\">Say why you reject the change.</div>"), "under the comment of that approval");
            Assert.That(html, Does.Contain("href=\"#comment\""), "and in the error summary");
        }
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"));
        Assert.That((await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray().Single(a => a.Text("id") == approvalId).Text("state"), Is.EqualTo("requested"));

        var (rejected, rejectedHtml) = await PostFormAsync("cabmember", $"/Changes/{number}", $"/Changes/{number}?handler=Decide", new()
        {
            ["approvalId"] = approvalId, ["version"] = version, ["decision"] = "reject", ["comment"] = "Not during the sale",
        });
        AssertRedirectTo(rejected, $"/Changes/{number}", rejectedHtml);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("new"), "a rejection sends it back to New");
    }

    [Test]
    public async Task Edit_WhenFrozenForApproval_WarnsBeforeSaving_AndOnlyAChangedPlanSendsItBack()
    {
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "frozen");
        var number = await RaisePlannedAsync("normal", "Page test: frozen change", vm);
        var unfrozen = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}/Edit");
        Assert.That(unfrozen, Does.Not.Contain("frozen-warning"), "no warning while it is New");
        await TransitionAsync("engineer", number, "submit-for-assessment");
        await TransitionAsync("changemanager", number, "request-authorization");
        var change = await ChangeAsync(number);
        Assert.That((change.Text("state"), change.GetProperty("isFrozen").GetBoolean()), Is.EqualTo(("authorize", true)));
        Assert.That((await ApprovalsAsync(number)).Text("state"), Is.EqualTo("pending"));

        var edit = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}/Edit");
        Assert.That(edit, Does.Contain("id=\"frozen-warning\"").And.Contain("sends it back to <strong>New</strong> and <strong>cancels its approvals</strong>"));
        var details = await (await BrowserAsync("engineer")).GetStringAsync($"/Changes/{number}");
        Assert.That(details, Does.Contain("Frozen for approval").And.Contain("The plan and the CIs are frozen while the approvers decide."));

        // The form as the browser sends it untouched: line breaks as CR LF, times to the minute.
        Dictionary<string, string> Form(string backout) => new()
        {
            ["Input.Version"] = change.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["Input.ShortDescription"] = change.Text("shortDescription"), ["Input.Description"] = change.Text("description"),
            ["Input.Category"] = "", ["Input.Impact"] = change.GetProperty("impact").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["Input.Urgency"] = change.GetProperty("urgency").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["Input.PriorityOverride"] = "", ["Input.PriorityOverrideReason"] = "", ["Input.AssignmentGroupId"] = "", ["Input.AssigneeId"] = "",
            ["Input.Justification"] = change.Text("justification"), ["Input.ImplementationPlan"] = change.Text("implementationPlan").Replace("\n", "\r\n", StringComparison.Ordinal),
            ["Input.BackoutPlan"] = backout, ["Input.TestPlan"] = change.Text("testPlan"),
            ["Input.PlannedStart"] = change.GetProperty("plannedStart").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.PlannedEnd"] = change.GetProperty("plannedEnd").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture),
            ["Input.Implementer"] = "",
        };

        var (untouched, untouchedHtml) = await PostFormAsync("engineer", $"/Changes/{number}/Edit", $"/Changes/{number}/Edit", Form(change.Text("backoutPlan")));
        AssertRedirectTo(untouched, $"/Changes/{number}", untouchedHtml);
        Assert.That((await ChangeAsync(number)).Text("state"), Is.EqualTo("authorize"), "saving the form untouched is no replanning");
        Assert.That((await ApprovalsAsync(number)).Text("state"), Is.EqualTo("pending"));

        change = await ChangeAsync(number);
        var (replanned, replannedHtml) = await PostFormAsync("engineer", $"/Changes/{number}/Edit", $"/Changes/{number}/Edit", Form("Restore the snapshot, then the DNS entry"));
        AssertRedirectTo(replanned, $"/Changes/{number}", replannedHtml);
        var after = await ChangeAsync(number);
        Assert.That((after.Text("state"), after.Text("backoutPlan")), Is.EqualTo(("new", "Restore the snapshot, then the DNS entry")));
        Assert.That((await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray().Select(a => a.Text("state")), Is.All.EqualTo("canceled"),
            "its approvals are canceled");
    }

    [Test]
    public async Task Requester_IsTurnedAwayFromEveryChangePage_AndSeesNoLinkToThem()
    {
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "requester");
        var number = await RaisePlannedAsync("normal", "Page test: not for requesters", vm);
        var browser = await BrowserAsync("requester");

        foreach (var path in new[] { "/Changes", "/Changes/Create", $"/Changes/{number}", $"/Changes/{number}/Edit", "/Approvals" })
        {
            var response = await browser.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), path);
            Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), path);
        }
        var before = await App.ChangeVersionAsync(number);
        foreach (var action in new[] { $"/Changes/{number}?handler=Comment", $"/Changes/{number}?handler=Decide", "/Approvals?handler=Decide", "/Changes/Create" })
        {
            var (response, _) = await PostFormAsync("requester", "/Portal", action, new()
            {
                ["text"] = "forged", ["number"] = number, ["approvalId"] = Guid.NewGuid().ToString(), ["decision"] = "approve",
                ["Input.Type"] = "normal", ["Input.ShortDescription"] = "forged",
            });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), action);
            Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"), action);
        }
        Assert.That(await App.ChangeVersionAsync(number), Is.EqualTo(before), "nothing changed");
        var portal = await browser.GetStringAsync("/Portal");
        Assert.That(portal, Does.Not.Contain("href=\"/Changes\"").And.Not.Contain("href=\"/Approvals\"").And.Not.Contain("nav-count"));
    }

    [Test]
    public async Task Header_WhenTheApprovalCountFails_StillShowsThePageWithoutACount()
    {
        using var failing = App.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddScoped<IRequestHandler<ListMyApprovals, ApprovalInbox>, FailingInbox>()));
        var browser = failing.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await browser.GetStringAsync("/Account/Login");
        var signIn = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = "cabmember", ["Input.Password"] = ItsmApp.Password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(login).Groups[1].Value),
        }));
        Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "signed in");

        var response = await browser.GetAsync("/Changes");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the header's count never fails the page");
        Assert.That(html, Does.Contain("href=\"/Approvals\"").And.Not.Contain("nav-count"), "the link stays, without a count");
    }

    /// <summary>An inbox that cannot be read (the database is gone, a bug): the header must cope.</summary>
    private sealed class FailingInbox : IRequestHandler<ListMyApprovals, ApprovalInbox>
    {
        public Task<ApprovalInbox> Handle(ListMyApprovals request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The approvals cannot be counted.");
    }

    /// <summary>Text as the pages encode it.</summary>
    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"Input.FormId\" value=\"([0-9a-f]+)\"")]
    private static partial Regex FormIdField();

    [GeneratedRegex("<span class=\"nav-count\"><span class=\"visually-hidden\">, waiting for you: </span>([0-9]+)</span>")]
    private static partial Regex NavCount();
}
