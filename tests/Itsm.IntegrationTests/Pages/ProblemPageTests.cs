using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Pages;

/// <summary>
/// The problem pages' forms, posted as a browser does (signed-in cookie and the form's anti-forgery token): root cause,
/// known error, linking incidents, raising a problem from an incident, resolving linked incidents; and what a
/// requester's incident page leaves out.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class ProblemPageTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private readonly Dictionary<string, HttpClient> _browsers = [];

    private async Task<HttpClient> BrowserAsync(string user)
    {
        if (!_browsers.TryGetValue(user, out var browser)) _browsers[user] = browser = await App.SignInBrowserAsync(user);
        return browser;
    }

    private async Task<string> RaiseAsync(object body)
    {
        var created = await IncidentApi.ExpectAsync(await App.Api("problemmanager").PostAsJsonAsync("/api/v1/problems", body), HttpStatusCode.Created);
        return created.Number();
    }

    private async Task<JsonElement> ProblemAsync(string number) =>
        await IncidentApi.ExpectAsync(await App.Api("problemmanager").GetAsync($"/api/v1/problems/{number}"), HttpStatusCode.OK);

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
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), html.Length > 2000 ? html[..2000] : html);
        Assert.That(response.Headers.Location?.ToString(), Does.StartWith(path));
    }

    [Test]
    public async Task RecordRootCause_ThroughThePageForm_RecordsItAndThePageShowsIt()
    {
        var number = await RaiseAsync(new { shortDescription = "Page test: laptops overheat" });
        var version = (await ProblemAsync(number)).GetProperty("version").GetInt32();

        var (response, html) = await PostFormAsync("problemmanager", $"/Problems/{number}", $"/Problems/{number}?handler=RootCause", new()
        {
            ["rootCause"] = "Fan firmware <b>throttles</b> too late", ["workaround"] = "Use the laptop on a stand", ["version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        AssertRedirectTo(response, $"/Problems/{number}", html);
        var problem = await ProblemAsync(number);
        Assert.That((problem.Text("rootCause"), problem.Text("workaround")), Is.EqualTo(("Fan firmware <b>throttles</b> too late", "Use the laptop on a stand")));
        var page = await (await BrowserAsync("problemmanager")).GetStringAsync($"/Problems/{number}");
        Assert.That(page, Does.Contain("Fan firmware &lt;b&gt;throttles&lt;/b&gt; too late"), "shown, encoded");
        Assert.That(page, Does.Contain("Publish as known error"));
    }

    [Test]
    public async Task RecordRootCause_AsAnAgent_IsRefusedAndChangesNothing()
    {
        var number = await RaiseAsync(new { shortDescription = "Page test: agent may not record causes" });
        var before = await ProblemAsync(number);
        var agentPage = await (await BrowserAsync("agent")).GetStringAsync($"/Problems/{number}");
        Assert.That(agentPage, Does.Not.Contain("handler=RootCause"), "the agent is not offered the form");

        var (response, _) = await PostFormAsync("agent", $"/Problems/{number}", $"/Problems/{number}?handler=RootCause", new() { ["rootCause"] = "Guessed" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.ToString(), Does.Contain("/Account/AccessDenied"));
        Assert.That((await ProblemAsync(number)).GetProperty("version").GetInt32(), Is.EqualTo(before.GetProperty("version").GetInt32()));
    }

    [Test]
    public async Task PublishKnownError_ThroughThePageButton_PutsItOnTheKnownErrorList()
    {
        var marker = Marker();
        var number = await RaiseAsync(new { shortDescription = $"Page test: scanner {marker}" });
        await IncidentApi.ExpectAsync(await App.Api("problemmanager").PutAsJsonAsync($"/api/v1/problems/{number}/root-cause",
            new { rootCause = "Driver bug", workaround = $"Scan to e-mail instead ({marker})" }), HttpStatusCode.OK);

        var (response, html) = await PostFormAsync("problemmanager", $"/Problems/{number}", $"/Problems/{number}?handler=Publish", new() { ["publish"] = "true" });

        AssertRedirectTo(response, $"/Problems/{number}", html);
        var list = await (await BrowserAsync("agent")).GetStringAsync($"/Problems/KnownErrors?q={marker}");
        Assert.That(list, Does.Contain(number).And.Contain($"Scan to e-mail instead ({marker})"));
    }

    [Test]
    public async Task LinkIncident_ThroughThePageForm_LinksItAndListsItWithItsState()
    {
        var problem = await RaiseAsync(new { shortDescription = "Page test: VPN drops" });
        var incident = (await LogAssignedAsync("Page test: VPN dropped again")).Number();

        var (response, html) = await PostFormAsync("agent", $"/Problems/{problem}", $"/Problems/{problem}?handler=LinkIncident",
            new() { ["incidentNumber"] = " " + incident.ToLowerInvariant() });

        AssertRedirectTo(response, $"/Problems/{problem}", html);
        Assert.That((await GetAsync("agent", incident)).GetProperty("problem").Text("number"), Is.EqualTo(problem));
        var page = await (await BrowserAsync("agent")).GetStringAsync($"/Problems/{problem}");
        Assert.That(page, Does.Contain(incident).And.Contain("Unlink"));

        var (unlinked, unlinkHtml) = await PostFormAsync("agent", $"/Problems/{problem}", $"/Problems/{problem}?handler=UnlinkIncident", new() { ["incidentNumber"] = incident });
        AssertRedirectTo(unlinked, $"/Problems/{problem}", unlinkHtml);
        Assert.That((await GetAsync("agent", incident)).GetProperty("problem").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("INC9999999", "There is no incident INC9999999.")]
    [TestCase("PRB0001001", "Enter an incident number, e.g. INC0001001.")]
    public async Task LinkIncident_WithANumberThatIsNoIncident_ShowsTheErrorAndLinksNothing(string typed, string message)
    {
        var problem = await RaiseAsync(new { shortDescription = "Page test: wrong number" });

        var (response, html) = await PostFormAsync("agent", $"/Problems/{problem}", $"/Problems/{problem}?handler=LinkIncident", new() { ["incidentNumber"] = typed });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with the error");
        Assert.That(html, Does.Contain(message).And.Contain($"value=\"{typed}\""));
        Assert.That((await ProblemAsync(problem)).GetProperty("incidents").GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task IncidentPage_LinkToAProblemThatDoesNotExist_ShowsTheErrorAndLinksNothing()
    {
        var incident = (await LogAsync("agent", new { shortDescription = "Page test: link to a missing problem" })).Number();

        var (response, html) = await PostFormAsync("agent", $"/Incidents/{incident}", $"/Incidents/{incident}?handler=LinkProblem", new() { ["problemNumber"] = "PRB9999999" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page again, with the error, not a 404");
        Assert.That(html, Does.Contain("There is no problem PRB9999999.").And.Contain("value=\"PRB9999999\""));
        Assert.That((await GetAsync("agent", incident)).GetProperty("problem").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task RaiseFromIncident_ThroughTheCreatePage_StartsFromTheIncidentAndLinksIt_OncePerForm()
    {
        var incident = (await LogAsync("requester", new { shortDescription = "Page test: payroll export empty", description = "Since the upgrade", impact = 2 })).Number();
        var browser = await BrowserAsync("agent");
        var form = await browser.GetStringAsync($"/Problems/Create?incident={incident}");
        Assert.That(form, Does.Contain("value=\"Page test: payroll export empty\"").And.Contain("Since the upgrade"), "prefilled from the incident");
        var formId = FormIdField().Match(form).Groups[1].Value;
        Assert.That(formId, Is.Not.Empty);

        var fields = new Dictionary<string, string>
        {
            ["Input.FormId"] = formId, ["Input.IncidentNumber"] = incident, ["Input.ShortDescription"] = "Payroll export drops rows",
            ["Input.Description"] = "Since the upgrade", ["Input.Impact"] = "2", ["Input.Urgency"] = "3",
        };
        var (first, html) = await PostFormAsync("agent", $"/Problems/Create?incident={incident}", "/Problems/Create", new(fields));
        var (again, _) = await PostFormAsync("agent", $"/Problems/Create?incident={incident}", "/Problems/Create", new(fields));

        AssertRedirectTo(first, "/Problems/PRB", html);
        Assert.That(again.Headers.Location, Is.EqualTo(first.Headers.Location), "the same form submitted twice raises one problem");
        var problem = first.Headers.Location!.ToString().Split('/')[^1];
        Assert.That((await GetAsync("agent", incident)).GetProperty("problem").Text("number"), Is.EqualTo(problem));
        Assert.That((await ProblemAsync(problem)).Text("shortDescription"), Is.EqualTo("Payroll export drops rows"));
    }

    [Test]
    public async Task ResolveLinkedIncidents_ThroughThePageForm_ResolvesTheOpenOnes()
    {
        var incident = (await LogAssignedAsync("Page test: Outlook crashes")).Number();
        var problem = await RaiseAsync(new { incidentNumber = incident });
        var before = await (await BrowserAsync("agent")).GetStringAsync($"/Problems/{problem}");
        Assert.That(before, Does.Not.Contain("handler=ResolveIncidents"), "not offered before the fix");
        foreach (var (transition, fields) in new (string, object?)[] { ("assess", null), ("resolve", new { resolutionCode = "fix-applied", resolutionNotes = "Patched Outlook." }) })
            await IncidentApi.ExpectAsync(await App.Api("problemmanager").PostAsJsonAsync($"/api/v1/problems/{problem}/transitions", new { transition, fields }), HttpStatusCode.OK);

        var (response, html) = await PostFormAsync("agent", $"/Problems/{problem}", $"/Problems/{problem}?handler=ResolveIncidents",
            new() { ["resolutionCode"] = "solved-workaround", ["resolutionNotes"] = "" });

        AssertRedirectTo(response, $"/Problems/{problem}", html);
        var resolved = await GetAsync("agent", incident);
        Assert.That((resolved.Text("state"), resolved.Text("resolutionCode")), Is.EqualTo(("resolved", "solved-workaround")));
        Assert.That(resolved.Text("resolutionNotes"), Does.Contain(problem));
    }

    [Test]
    public async Task RequesterIncidentPage_WhenLinkedToAKnownError_ShowsNoProblemPanelAndNoWorkNotes()
    {
        var incident = (await LogAsync("requester", new { shortDescription = "Page test: my VPN drops" })).Number();
        var problem = await RaiseAsync(new { incidentNumber = incident });
        await IncidentApi.ExpectAsync(await App.Api("problemmanager").PutAsJsonAsync($"/api/v1/problems/{problem}/root-cause",
            new { rootCause = "Secret firewall rule", workaround = "Internal-only workaround" }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("problemmanager").PostAsync($"/api/v1/problems/{problem}/known-error", null), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(incident, "Work note: linked to the firewall problem", workNote: true), HttpStatusCode.Created);
        await IncidentApi.ExpectAsync(await App.Api("agent").CommentAsync(incident, "We are on it."), HttpStatusCode.Created);

        var agentPage = await (await BrowserAsync("agent")).GetStringAsync($"/Incidents/{incident}");
        Assert.That(agentPage, Does.Contain(problem).And.Contain("Internal-only workaround"), "the desk sees the problem and its workaround");
        var page = await (await BrowserAsync("requester")).GetStringAsync($"/Incidents/{incident}");

        Assert.That(page, Does.Contain("We are on it."), "the public comment");
        Assert.That(page, Does.Not.Contain(problem).And.Not.Contain("problem-heading").And.Not.Contain("Internal-only workaround"));
        Assert.That(page, Does.Not.Contain("Work note: linked to the firewall problem"));
        Assert.That(page, Does.Not.Contain("/Problems"), "no link to the problem pages, not even in the navigation");
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("name=\"Input.FormId\" value=\"([0-9a-f]+)\"")]
    private static partial Regex FormIdField();
}
