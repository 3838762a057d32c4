using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Pages;

/// <summary>
/// Every page with every role and anonymously: 200, a redirect to sign in, a redirect to "access denied",
/// or 404 for a requester opening someone else's incident. One test case per cell.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class PageAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "(anonymous)";
    private const string Ok = "200", Login = "login", Denied = "denied", NotFound = "404", Redirect = "302";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    // Expected answer per principal, in the order of Principals.
    private static readonly (string Path, string[] Expected)[] Rows =
    [
        ("/", [Redirect, Redirect, Redirect, Redirect, Redirect, Redirect, Redirect, Login]),
        ("/Portal", [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Portal/Report", [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents?queue=mine", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents?queue=my-groups-unassigned", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents?queue=all-open", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents/Create", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents/{own}", [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents/{other}", [NotFound, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Incidents/{own}/Edit", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        // Problems are for fulfillers only: a requester is turned away from every problem page.
        ("/Problems", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems?queue=mine", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems?queue=my-groups-unassigned", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems?queue=all-open", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/Create", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/Create?incident={own}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/{problem}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/{problem}/Edit", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/KnownErrors", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Problems/KnownErrors?q=vpn", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        // Changes: every fulfiller sees them, Engineers, Change Managers and Admins raise and edit them, requesters see none of it.
        ("/Changes", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Changes?queue=all-open", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Changes/Create", [Denied, Denied, Denied, Ok, Denied, Ok, Ok, Login]),
        ("/Changes/Create?template=os-patch-linux", [Denied, Denied, Denied, Ok, Denied, Ok, Ok, Login]),
        ("/Changes/{change}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Changes/{change}/Edit", [Denied, Denied, Denied, Ok, Denied, Ok, Ok, Login]),
        // The change calendar is for everyone who sees changes; a date or view it cannot read is said on the page, not an error.
        ("/Changes/Calendar", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Changes/Calendar?view=week&date=2027-03-13", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Changes/Calendar?view=year&date=2027-02-30", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        // The change manager follows up CMDB writes no approved change covered.
        ("/Changes/UnauthorisedWrites", [Denied, Denied, Denied, Ok, Denied, Denied, Ok, Login]),
        // Any fulfiller may be asked to approve (a CI's owner group); the inbox lists what waits for them.
        ("/Approvals", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Approvals/Delegations", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        // The CMDB: every fulfiller reads it, Engineers and Admins write it, requesters see none of it.
        ("/Cmdb", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cmdb?q=matrix&class=server", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cmdb/Ci/{ci}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cmdb/Impact", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cmdb/Impact?ci={ci}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cmdb/Register", [Denied, Denied, Denied, Denied, Denied, Ok, Ok, Login]),
        ("/Cmdb/Register?class=virtual-machine", [Denied, Denied, Denied, Denied, Denied, Ok, Ok, Login]),
        ("/Cmdb/Edit/{ci}", [Denied, Denied, Denied, Denied, Denied, Ok, Ok, Login]),
        ("/Cmdb/Import", [Denied, Denied, Denied, Denied, Denied, Ok, Ok, Login]),
        // The CAB: every fulfiller reads the meetings (change managers run them, CAB members decide); requesters see none.
        ("/Cab", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cab?state=closed", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Cab/Meeting/{meeting}", [Denied, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        ("/Admin/Processes", [Denied, Denied, Denied, Denied, Denied, Denied, Ok, Login]),
        ("/Account/Login", [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Ok]),
        ("/Account/Logout", [Ok, Ok, Ok, Ok, Ok, Ok, Ok, Login]),
        // These pages are open to all and answer with the status they explain.
        ("/Account/AccessDenied", ["403", "403", "403", "403", "403", "403", "403", "403"]),
        ("/Status/404", [NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound]),
        ("/Error", ["500", "500", "500", "500", "500", "500", "500", "500"]),
    ];

    private ItsmApp _app = null!;
    private readonly Dictionary<string, HttpClient> _sessions = [];
    private string _own = "", _other = "", _problem = "", _change = "";
    private long _ci, _vm, _relationship;
    private string _meeting = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        _own = await _app.LogIncidentAsync("requester", new { shortDescription = "Matrix: my laptop is slow" });
        _other = await _app.LogIncidentAsync("agent", new { shortDescription = "Matrix: someone else's ticket", caller = "julia.berg" });
        _problem = await _app.RaiseProblemAsync("problemmanager", new { shortDescription = "Matrix: a problem" });
        var graph = new Cmdb.CmdbTestGraph(_app, "pagematrix" + Guid.NewGuid().ToString("N")[..8]);
        _ci = await graph.CiAsync("application-component", "cart");
        _vm = await graph.CiAsync("virtual-machine", "vm");
        _relationship = await graph.LinkAsync(_ci, "runs-on", _vm);
        _change = await _app.RaiseChangeAsync("engineer", new { type = "normal", shortDescription = "Matrix: a change", ciIds = new[] { _ci } });
        _meeting = (await new Changes.CabScene(_app).PlanAsync(Changes.CabScene.Period(_app, 1))).GetProperty("id").GetString()!;
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Path, Principals[i], row.Expected[i]).SetName($"Page {row.Path} as {Principals[i]} -> {row.Expected[i]}");

    [TestCaseSource(nameof(Cells))]
    public async Task Get_WhenPrincipalOpensPage_AnswersAsExpected(string path, string principal, string expected)
    {
        var client = await SessionAsync(principal);
        var response = await client.GetAsync(Fill(path));
        var status = (int)response.StatusCode;
        var location = response.Headers.Location?.ToString() ?? "";
        var actual = status switch
        {
            302 when location.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase) => Login,
            302 when location.Contains("/Account/AccessDenied", StringComparison.OrdinalIgnoreCase) => Denied,
            _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.That(actual, Is.EqualTo(expected), $"{principal} GET {path}: {status} {location}");
        if (status is 200 or 403 or 404 or 500 && !path.Contains("{other}", StringComparison.Ordinal))
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<html"), "a page, not an error body");
    }

    private static readonly string[] PostTargets =
    [
        "/Incidents/{own}?handler=Take", "/Incidents/{own}?handler=Transition", "/Incidents/{own}?handler=Comment",
        "/Incidents/Create", "/Incidents/{own}/Edit", "/Portal/Report", "/Account/Logout",
        "/Incidents/{own}?handler=LinkProblem", "/Incidents/{own}?handler=UnlinkProblem",
        "/Problems/{problem}?handler=Take", "/Problems/{problem}?handler=Transition", "/Problems/{problem}?handler=Comment",
        "/Problems/{problem}?handler=RootCause", "/Problems/{problem}?handler=Publish", "/Problems/{problem}?handler=LinkIncident",
        "/Problems/{problem}?handler=UnlinkIncident", "/Problems/{problem}?handler=ResolveIncidents",
        "/Problems/Create", "/Problems/{problem}/Edit",
        "/Changes/{change}?handler=Take", "/Changes/{change}?handler=Transition", "/Changes/{change}?handler=Comment",
        "/Changes/{change}?handler=Decide", "/Changes/{change}?handler=AddCi", "/Changes/{change}?handler=RemoveCi",
        "/Changes/Create", "/Changes/{change}/Edit", "/Approvals?handler=Decide",
        "/Changes/Calendar?handler=Subscribe", "/Changes/Calendar?handler=Revoke",
        "/Approvals/Delegations?handler=Delegate", "/Approvals/Delegations?handler=Revoke",
        "/Cmdb/Ci/{ci}?handler=Retire", "/Cmdb/Ci/{ci}?handler=Link", "/Cmdb/Ci/{ci}?handler=Unlink",
        "/Cmdb/Register?class=application-component", "/Cmdb/Edit/{ci}", "/Cmdb/Import",
        "/Cab?handler=Plan", "/Cab/Meeting/{meeting}?handler=Start", "/Cab/Meeting/{meeting}?handler=Close",
        "/Cab/Meeting/{meeting}?handler=Minutes", "/Cab/Meeting/{meeting}?handler=Decide", "/Cab/Meeting/{meeting}?handler=Reorder",
        "/Cab/Meeting/{meeting}?handler=AddItem", "/Cab/Meeting/{meeting}?handler=RemoveItem",
    ];

    [TestCaseSource(nameof(PostTargets))]
    public async Task Post_WhenFormHasNoAntiforgeryToken_Returns400AndChangesNothing(string target)
    {
        var before = await _app.StateAsync(_own);
        var problemBefore = await _app.ProblemVersionAsync(_problem);
        var cmdbBefore = await CmdbStateAsync();
        var changeBefore = await _app.ChangeVersionAsync(_change);
        var approverBefore = await ApproverStateAsync();
        // The CMDB's and the changes' forms are for Engineers (an agent is turned away from most of them before the token is looked at).
        var cmdb = target.StartsWith("/Cmdb/", StringComparison.Ordinal);
        var change = target.StartsWith("/Changes", StringComparison.Ordinal) || target.StartsWith("/Approvals", StringComparison.Ordinal);
        var session = await SessionAsync(cmdb || change ? "engineer" : "agent");
        var fields = new Dictionary<string, string>
        {
            ["transition"] = "resolve", ["text"] = "forged", ["Input.ShortDescription"] = "forged", ["version"] = before.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["problemNumber"] = _problem, ["incidentNumber"] = _own, ["rootCause"] = "forged", ["publish"] = "true",
        };
        if (change)
        {
            // What the change forms would post for real.
            fields["version"] = changeBefore.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["Input.Version"] = fields["version"];
            fields["transition"] = "cancel";
            fields["fields[cancelReason]"] = "forged";
            fields["number"] = _change;
            fields["approvalId"] = Guid.NewGuid().ToString();
            fields["decision"] = "reject";
            fields["comment"] = "forged";
            fields["Input.Type"] = "normal";
            fields["Input.BackoutPlan"] = "forged";
            fields["ci"] = _vm.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["ciId"] = _ci.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["Input.To"] = "agent";
            fields["Input.Ends"] = _app.Clock.UtcNow.AddDays(3).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (cmdb)
        {
            // What the CMDB forms would post for real: each would change the CI, its relationships or the CMDB if it got through.
            var version = cmdbBefore.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["version"] = version;
            fields["Input.Version"] = version;
            fields["Input.Name"] = "forged-" + Guid.NewGuid().ToString("N")[..8];
            fields["Input.Criticality"] = "1";
            fields["Input.Status"] = "Operational";
            fields["relation"] = "out:depends-on";
            fields["otherId"] = _vm.ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields["relationshipId"] = _relationship.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        HttpContent content = new FormUrlEncodedContent(fields);
        if (target == "/Cmdb/Import")
        {
            var form = new MultipartFormDataContent();
            foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
            var file = new StringContent("""{"source":"forged","cis":[{"class":"application-component","name":"forged-import"}]}""",
                System.Text.Encoding.UTF8, "application/json");
            form.Add(file, "Upload", "forged.json");
            content = form;
        }
        var response = await session.PostAsync(Fill(target), content);
        Assert.That((int)response.StatusCode, Is.EqualTo(400), target);
        var after = await _app.StateAsync(_own);
        Assert.That(after, Is.EqualTo(before), "a forged post changes nothing");
        Assert.That(await _app.ProblemVersionAsync(_problem), Is.EqualTo(problemBefore), "nor the problem");
        Assert.That(await CmdbStateAsync(), Is.EqualTo(cmdbBefore), "nor the CMDB");
        Assert.That(await _app.ChangeVersionAsync(_change), Is.EqualTo(changeBefore), "nor the change");
        Assert.That(await ApproverStateAsync(), Is.EqualTo(approverBefore), "nor the engineer's delegations and calendar link");
    }

    /// <summary>The engineer's delegations and whether they have a calendar link: a forged delegate, revoke or subscribe moves one.</summary>
    private async Task<string> ApproverStateAsync()
    {
        var engineer = _app.Api("engineer");
        var delegations = await engineer.SendAsync(HttpMethod.Get, "/api/v1/approvals/delegations", null);
        var link = await engineer.SendAsync(HttpMethod.Get, "/api/v1/changes/calendar/link", null);
        Assert.That(new[] { delegations.Status, link.Status }, Is.All.EqualTo(200), $"{delegations} {link}");
        return delegations.Text + link.Text;
    }

    /// <summary>The CI's version and relationships and the number of CMDB changesets: any CMDB write moves one of them.</summary>
    private async Task<(int Version, string Relationships, int Changesets)> CmdbStateAsync()
    {
        var admin = _app.Api("admin");
        var ci = await admin.SendAsync(HttpMethod.Get, $"/api/v1/cis/{_ci}", null);
        var relationships = await admin.SendAsync(HttpMethod.Get, $"/api/v1/cis/{_ci}/relationships", null);
        var changesets = await admin.SendAsync(HttpMethod.Get, "/api/v1/cmdb/changesets?pageSize=1", null);
        Assert.That(new[] { ci.Status, relationships.Status, changesets.Status }, Is.All.EqualTo(200), $"read CI {_ci}: {ci}");
        return (ci.Json.GetProperty("version").GetInt32(), relationships.Text, changesets.Json.GetProperty("total").GetInt32());
    }

    [Test]
    public void Rows_CoverEveryRazorPage()
    {
        var sources = _app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var pages = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageRouteMetadata>() is not null)
            .Select(e => Normalize("/" + (e.RoutePattern.RawText ?? "").TrimStart('/')))
            .Where(p => !p.EndsWith("/Index", StringComparison.Ordinal))
            .Distinct().ToList();
        Assert.That(pages, Has.Count.GreaterThan(10), "the scan finds the Razor pages");
        var covered = Rows.Select(r => Normalize(r.Path.Split('?')[0])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = pages.Where(p => !covered.Contains(p)).ToList();
        Assert.That(missing, Is.Empty, "pages with no row in the authorization matrix");
    }

    private async Task<HttpClient> SessionAsync(string principal)
    {
        if (_sessions.TryGetValue(principal, out var client)) return client;
        client = principal == Anonymous
            ? _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
            : await _app.SignInBrowserAsync(principal);
        return _sessions[principal] = client;
    }

    private string Fill(string path) => path.Replace("{meeting}", _meeting).Replace("{own}", _own).Replace("{other}", _other).Replace("{problem}", _problem)
        .Replace("{change}", _change).Replace("{ci}", _ci.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Route parameters and the concrete values the rows use all become {x}.</summary>
    private static string Normalize(string path) => Placeholder().Replace(path, "{x}");

    [GeneratedRegex(@"\{[^}]+\}|(?<=/)((INC|PRB|CHG)[0-9]+|[0-9]+)(?=/|$)")]
    private static partial Regex Placeholder();
}
