using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Every API endpoint × every role and anonymous, with the status each must get. Per-incident endpoints are called on a
/// fresh incident of the requester ("own") and of another employee ("other"): a requester never learns that
/// someone else's ticket exists. Mutating cells also prove that a refused call changed nothing and an allowed one did.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class ApiAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private const string OtherEmployee = "julia.berg";

    /// <summary>The column order of <see cref="Rows"/>.</summary>
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    private enum Target { None, Own, Other, OwnResolved, OtherResolved }

    private sealed record Row(string Method, string Path, Target Target, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path}" + Target switch
        {
            Target.Own => " [own]",
            Target.Other => " [other's]",
            Target.OwnResolved => " [own, resolved]",
            Target.OtherResolved => " [other's, resolved]",
            _ => "",
        } + (Body is not null && Body.Contains("workNote\":true") ? " [work note]" : "")
          + (Body is not null && Body.Contains("caller") ? " [for a caller, assigned]" : "");
    }

    private const string Create = """{"shortDescription":"Matrix probe","impact":3,"urgency":3}""";
    private const string CreateForCaller = """{"shortDescription":"Matrix probe for a caller","caller":"marco.rossi","assignmentGroupId":"{group}"}""";
    private const string Patch = """{"description":"Edited by the authorization matrix"}""";
    private const string Hold = """{"transition":"put-on-hold","fields":{"holdReason":"awaiting-vendor"}}""";
    private const string Reopen = """{"transition":"reopen","fields":{"reopenReason":"Still broken"}}""";
    private const string Comment = """{"text":"A public comment from the matrix"}""";
    private const string WorkNote = """{"text":"An internal note from the matrix","workNote":true}""";
    private const string Token = """{"userName":"{user}","password":"Itsm-demo-1","name":"matrix"}""";

    //                                     requester agent  probmgr chgmgr cab  engineer admin anonymous
    private static readonly int[] AllRead = [200, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] OthersRead = [404, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] Public = [200, 200, 200, 200, 200, 200, 200, 200];

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/incidents", Target.None, null, AllRead),
        new("POST", "/api/v1/incidents", Target.None, Create, [201, 201, 201, 201, 201, 201, 201, 401], true),
        new("POST", "/api/v1/incidents", Target.None, CreateForCaller, [403, 201, 201, 201, 201, 201, 201, 401], true),
        new("GET", "/api/v1/incidents/{n}", Target.Own, null, AllRead),
        new("GET", "/api/v1/incidents/{n}", Target.Other, null, OthersRead),
        new("PATCH", "/api/v1/incidents/{n}", Target.Own, Patch, [403, 200, 200, 200, 200, 200, 200, 401], true),
        // The role check runs before the incident is looked up: 403 whether or not it exists, so no existence oracle.
        new("PATCH", "/api/v1/incidents/{n}", Target.Other, Patch, [403, 200, 200, 200, 200, 200, 200, 401], true),
        new("GET", "/api/v1/incidents/{n}/transitions", Target.Own, null, AllRead),
        new("GET", "/api/v1/incidents/{n}/transitions", Target.Other, null, OthersRead),
        // Who may run a transition is process data (incident.yaml): one possible now but not for the caller's roles is a 403.
        new("POST", "/api/v1/incidents/{n}/transitions", Target.Own, Hold, [403, 200, 403, 403, 403, 200, 200, 401], true),
        new("POST", "/api/v1/incidents/{n}/transitions", Target.Other, Hold, [404, 200, 403, 403, 403, 200, 200, 401], true),
        new("POST", "/api/v1/incidents/{n}/transitions", Target.OwnResolved, Reopen, [200, 200, 403, 403, 403, 403, 200, 401], true),
        new("POST", "/api/v1/incidents/{n}/transitions", Target.OtherResolved, Reopen, [404, 200, 403, 403, 403, 403, 200, 401], true),
        new("GET", "/api/v1/incidents/{n}/comments", Target.Own, null, AllRead),
        new("GET", "/api/v1/incidents/{n}/comments", Target.Other, null, OthersRead),
        new("POST", "/api/v1/incidents/{n}/comments", Target.Own, Comment, [201, 201, 201, 201, 201, 201, 201, 401], true),
        new("POST", "/api/v1/incidents/{n}/comments", Target.Other, Comment, [404, 201, 201, 201, 201, 201, 201, 401], true),
        new("POST", "/api/v1/incidents/{n}/comments", Target.Own, WorkNote, [403, 201, 201, 201, 201, 201, 201, 401], true),
        new("POST", "/api/v1/incidents/{n}/comments", Target.Other, WorkNote, [404, 201, 201, 201, 201, 201, 201, 401], true),
        // Take needs an assignment group of one's own: every fulfiller here has one (the change manager and CAB member their change groups).
        new("POST", "/api/v1/incidents/{n}/take", Target.Own, null, [403, 200, 200, 200, 200, 200, 200, 401], true),
        new("POST", "/api/v1/incidents/{n}/take", Target.Other, null, [403, 200, 200, 200, 200, 200, 200, 401], true),
        new("GET", "/api/v1/incidents/{n}/history", Target.Own, null, AllRead),
        new("GET", "/api/v1/incidents/{n}/history", Target.Other, null, OthersRead),
        new("GET", "/api/v1/assignment-groups", Target.None, null, AllRead),
        new("GET", "/api/v1/categories", Target.None, null, AllRead),
        new("POST", "/api/v1/auth/token", Target.None, Token, Public),
        new("DELETE", "/api/v1/auth/token", Target.None, null, [204, 204, 204, 204, 204, 204, 204, 401]),
        new("GET", "/health", Target.None, null, Public),
        new("GET", "/openapi/v1.json", Target.None, null, Public),
    ];

    private ItsmApp _app = null!;
    private string _serviceDesk = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        var groups = await _app.Api("admin").GetFromJsonAsync<JsonElement>("/api/v1/assignment-groups");
        _serviceDesk = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Service Desk").GetProperty("id").GetString()!;
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryMappedApiEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, r => r.StartsWith("/api/", StringComparison.Ordinal) && !ProblemAuthorizationMatrixTests.Covers(r)
            && !Cmdb.TicketCiAuthorizationTests.Covers(r) && !Cmdb.CmdbAuthorizationMatrixTests.Covers(r) && !ChangeAuthorizationMatrixTests.Covers(r)
            && !Changes.CabAuthorizationMatrixTests.Covers(r));
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path)).ToHashSet();
        Assert.That(mapped.Except(covered), Is.Empty, "API endpoints without a row in the authorization matrix");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        var user = principal == Anonymous ? null : principal;
        var client = row.Method == "DELETE" && user is not null
            ? _app.Api(null).WithBearer(await _app.IssueTokenAsync(user)) // revoking must not kill the shared token
            : _app.Api(user);
        var number = await TargetAsync(row.Target);
        var path = row.Path.Replace("{n}", number);
        var body = row.Body?.Replace("{user}", user ?? "requester").Replace("{group}", _serviceDesk);
        var before = row.Mutates ? await _app.StateAsync(number) : null;

        var reply = await client.SendAsync(new HttpMethod(row.Method), path, body);

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {path} as {principal}: {reply}");
        if (expected >= 400)
        {
            Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
            Assert.That(reply.Json.GetProperty("status").GetInt32(), Is.EqualTo(expected), reply.ToString());
        }
        if (expected == 401)
            Assert.That(reply.Response.Headers.WwwAuthenticate.Select(h => h.Scheme), Does.Contain("Bearer"), "401 names the scheme");
        if (expected == 409)
            Assert.That(reply.Json.GetProperty("rule").GetString(), Is.AnyOf("transition-not-allowed", "no-group"), reply.ToString());
        if (expected is 200 or 201 && row.Path.StartsWith("/api/", StringComparison.Ordinal))
            Assert.That(reply.MediaType, Is.EqualTo("application/json"), reply.ToString());
        if (before is not null)
        {
            var after = await _app.StateAsync(number);
            if (expected < 300) Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes the incident");
            else Assert.That(after, Is.EqualTo(before), "a refused write changes nothing");
        }
    }

    [Test]
    public async Task ListIncidents_WhenRequesterLists_ReturnsOnlyOwnIncidents()
    {
        var own = await TargetAsync(Target.Own);
        var other = await TargetAsync(Target.Other);
        var mine = await ListAllAsync("requester");
        var all = await ListAllAsync("agent");
        Assert.That(mine, Does.Contain(own).And.Not.Contain(other));
        Assert.That(all, Does.Contain(own).And.Contain(other));
        var requesterNames = (await _app.Api("requester").GetFromJsonAsync<JsonElement>("/api/v1/incidents?pageSize=100"))
            .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("requesterName").GetString()).Distinct().ToList();
        Assert.That(requesterNames, Is.EqualTo(new[] { "Rita Requester" }));
    }

    [Test]
    public async Task Api_WhenCalledWithBrowserCookieSession_Returns401AndChangesNothing()
    {
        var anonymousPage = await _app.Api(null).GetAsync("/Incidents");
        Assert.That((int)anonymousPage.StatusCode, Is.EqualTo(302), "the UI needs a session");
        var browser = await _app.SignInBrowserAsync("admin");
        var home = await browser.GetAsync("/Incidents");
        Assert.That((int)home.StatusCode, Is.EqualTo(200), "the cookie session works for the UI");
        var total = await _app.IncidentTotalAsync();

        var list = await browser.SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        var create = await browser.SendAsync(HttpMethod.Post, "/api/v1/incidents", Create);
        var categories = await browser.SendAsync(HttpMethod.Get, "/api/v1/categories", null);

        Assert.That(new[] { list.Status, create.Status, categories.Status }, Is.All.EqualTo(401), $"{list} / {create} / {categories}");
        Assert.That(await _app.IncidentTotalAsync(), Is.EqualTo(total), "the cookie-authenticated POST created nothing");
    }

    [TestCase("GET", "/api/v1/no-such-resource", null)]
    [TestCase("PUT", "/api/v1/incidents", null)]
    [TestCase("POST", "/api/v1/auth/token", "text/plain")]
    [TestCase("POST", "/api/v1/auth/token", "application/x-www-form-urlencoded")]
    public async Task Api_WhenAnonymousRequestMatchesNoEndpoint_AnswersProblemNotLoginRedirect(string method, string path, string? contentType)
    {
        var reply = await _app.Api(null).SendAsync(new HttpMethod(method), path,
            contentType is null ? null : """{"userName":"requester","password":"Itsm-demo-1"}""", contentType);
        Assert.That(reply.Status, Is.AnyOf(401, 404, 405, 415), $"an API client is never sent to the HTML login page: {reply} {reply.Response.Headers.Location}");
        Assert.That(reply.IsProblem, Is.True, reply.ToString());
    }

    private async Task<string?> TargetAsync(Target target)
    {
        if (target == Target.None) return null;
        var own = target is Target.Own or Target.OwnResolved;
        var number = own
            ? await _app.LogIncidentAsync("requester", new { shortDescription = "Matrix: my own ticket", impact = 3, urgency = 3 })
            : await _app.LogIncidentAsync("agent", new { shortDescription = "Matrix: someone else's ticket", caller = OtherEmployee });
        if (target is Target.OwnResolved or Target.OtherResolved)
        {
            var agent = _app.Api("agent");
            var assign = await agent.SendAsync(HttpMethod.Patch, $"/api/v1/incidents/{number}",
                JsonSerializer.Serialize(new { assignmentGroupId = _serviceDesk, assigneeId = await _app.UserIdAsync("agent") }));
            var resolve = await agent.SendAsync(HttpMethod.Post, $"/api/v1/incidents/{number}/transitions",
                """{"transition":"resolve","fields":{"resolutionCode":"solved-workaround","resolutionNotes":"Restarted."}}""");
            Assert.That(new[] { assign.Status, resolve.Status }, Is.All.EqualTo(200), $"{assign} / {resolve}");
        }
        return number;
    }

    private async Task<List<string>> ListAllAsync(string user)
    {
        var numbers = new List<string>();
        for (var page = 1; ; page++)
        {
            var body = await _app.Api(user).GetFromJsonAsync<JsonElement>($"/api/v1/incidents?pageSize=100&page={page}");
            numbers.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!));
            if (page >= body.GetProperty("pageCount").GetInt32()) return numbers;
        }
    }
}
