using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Every problem-management endpoint × every role and anonymous. Requesters see nothing of problems (403 on every
/// endpoint, whether the problem exists or not); every fulfiller reads and comments; the service desk, engineers and
/// problem managers link incidents; problem managers own the lifecycle. Each cell runs on a fresh problem, and a
/// mutating cell proves a refused call changed nothing and an allowed one did.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ProblemAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    /// <summary>The paths this matrix answers for; the incident matrix covers the rest of the API.</summary>
    public static bool Covers(string route) =>
        (route.StartsWith("/api/v1/problems", StringComparison.Ordinal) || route.StartsWith("/api/v1/known-errors", StringComparison.Ordinal))
        && !Cmdb.TicketCiAuthorizationTests.Covers(route);

    private enum Target { None, New, Analysed, Published, WithIncident, Fixed }

    private sealed record Row(string Method, string Path, Target Target, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path} [{Target}]" + (Body is not null && Body.Contains("workNote", StringComparison.Ordinal) ? " [work note]" : "");
    }

    //                                         requester agent probmgr chgmgr cab engineer admin anonymous
    private static readonly int[] FulfillersRead = [403, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] Owners = [403, 403, 200, 403, 403, 403, 200, 401];
    private static readonly int[] Linkers = [403, 200, 200, 403, 403, 200, 200, 401];

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/problems", Target.None, null, FulfillersRead),
        new("POST", "/api/v1/problems", Target.None, """{"shortDescription":"Matrix probe problem"}""", [403, 201, 201, 403, 403, 201, 201, 401], true),
        new("GET", "/api/v1/problems/{n}", Target.New, null, FulfillersRead),
        new("PATCH", "/api/v1/problems/{n}", Target.New, """{"description":"Edited by the matrix"}""", Owners, true),
        new("GET", "/api/v1/problems/{n}/transitions", Target.New, null, FulfillersRead),
        new("POST", "/api/v1/problems/{n}/transitions", Target.New, """{"transition":"assess"}""", Owners, true),
        new("POST", "/api/v1/problems/{n}/take", Target.New, null, Owners, true),
        new("GET", "/api/v1/problems/{n}/comments", Target.New, null, FulfillersRead),
        new("POST", "/api/v1/problems/{n}/comments", Target.New, """{"text":"A comment from the matrix"}""", [403, 201, 201, 201, 201, 201, 201, 401], true),
        new("POST", "/api/v1/problems/{n}/comments", Target.New, """{"text":"An internal note","workNote":true}""", [403, 201, 201, 201, 201, 201, 201, 401], true),
        new("GET", "/api/v1/problems/{n}/history", Target.New, null, FulfillersRead),
        new("PUT", "/api/v1/problems/{n}/root-cause", Target.New, """{"rootCause":"Matrix cause","workaround":"Matrix workaround"}""", Owners, true),
        new("POST", "/api/v1/problems/{n}/known-error", Target.Analysed, null, Owners, true),
        new("DELETE", "/api/v1/problems/{n}/known-error", Target.Published, null, Owners, true),
        new("POST", "/api/v1/problems/{n}/incidents", Target.New, """{"incident":"{incident}"}""", Linkers, true),
        new("DELETE", "/api/v1/problems/{n}/incidents/{incident}", Target.WithIncident, null, Linkers, true),
        new("POST", "/api/v1/problems/{n}/resolve-incidents", Target.Fixed, "{}", [403, 200, 200, 403, 403, 403, 200, 401], true),
        new("GET", "/api/v1/known-errors", Target.None, null, FulfillersRead),
    ];

    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryProblemEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, Covers);
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path)).ToHashSet();
        Assert.That(mapped, Is.Not.Empty);
        Assert.That(mapped.Except(covered), Is.Empty, "problem endpoints without a row in the authorization matrix");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsProblemEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        var user = principal == Anonymous ? null : principal;
        var (number, incident) = await TargetAsync(row.Target);
        var path = row.Path.Replace("{n}", number).Replace("{incident}", incident);
        var body = row.Body?.Replace("{incident}", incident);
        var before = row.Mutates ? await StateAsync(number, incident) : null;

        var reply = await _app.Api(user).SendAsync(new HttpMethod(row.Method), path, body);

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {path} as {principal}: {reply}");
        if (expected >= 400) Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        if (before is not null)
        {
            var after = await StateAsync(number, incident);
            if (expected < 300) Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes something");
            else Assert.That(after, Is.EqualTo(before), "a refused write changes nothing");
        }
    }

    [Test]
    public async Task GetProblem_WhenRequesterAsksForOneThatDoesNotExist_Gets403LikeOneThatDoes()
    {
        var (number, _) = await TargetAsync(Target.New);
        var existing = await _app.Api("requester").SendAsync(HttpMethod.Get, $"/api/v1/problems/{number}", null);
        var missing = await _app.Api("requester").SendAsync(HttpMethod.Get, "/api/v1/problems/PRB9999999", null);
        Assert.That((existing.Status, missing.Status), Is.EqualTo((403, 403)), "no existence oracle");
    }

    [Test]
    public async Task GetIncident_WhenRequesterReadsOwnIncidentLinkedToAProblem_SeesNoProblem()
    {
        var (number, incident) = await TargetAsync(Target.WithIncident);
        var asRequester = await _app.Api("requester").GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}");
        var asAgent = await _app.Api("agent").GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}");
        var history = await _app.Api("requester").GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incident}/history");
        Assert.That(asAgent.GetProperty("problem").GetProperty("number").GetString(), Is.EqualTo(number));
        Assert.That(asRequester.GetProperty("problem").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(history.EnumerateArray().Select(h => h.GetProperty("field").GetString()), Does.Not.Contain("problem"));
    }

    /// <summary>A fresh problem in the state the row needs, and an incident of the requester's (linked where the row needs it).</summary>
    private async Task<(string? Number, string Incident)> TargetAsync(Target target)
    {
        var incident = await _app.LogIncidentAsync("requester", new { shortDescription = "Matrix: printer offline", impact = 3, urgency = 3 });
        if (target == Target.None) return (null, incident);
        var pm = _app.Api("problemmanager");
        var created = await pm.SendAsync(HttpMethod.Post, "/api/v1/problems",
            target is Target.WithIncident or Target.Fixed
                ? JsonSerializer.Serialize(new { incidentNumber = incident })
                : """{"shortDescription":"Matrix: printers drop off the network"}""");
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        var number = created.Json.GetProperty("number").GetString()!;
        async Task Expect200(HttpMethod method, string path, string? body)
        {
            var reply = await pm.SendAsync(method, path, body);
            Assert.That(reply.Status, Is.EqualTo(200), $"{method} {path}: {reply}");
        }
        if (target is Target.Analysed or Target.Published)
            await Expect200(HttpMethod.Put, $"/api/v1/problems/{number}/root-cause", """{"rootCause":"Lease too short","workaround":"Reserve an address"}""");
        if (target == Target.Published)
            await Expect200(HttpMethod.Post, $"/api/v1/problems/{number}/known-error", null);
        if (target == Target.Fixed)
        {
            await Expect200(HttpMethod.Post, $"/api/v1/problems/{number}/transitions", """{"transition":"assess"}""");
            await Expect200(HttpMethod.Post, $"/api/v1/problems/{number}/transitions",
                """{"transition":"resolve","fields":{"resolutionCode":"fix-applied","resolutionNotes":"Firmware updated."}}""");
        }
        return (number, incident);
    }

    /// <summary>What a write could change: the problem count, the problem's version, history, worklog and links, and the incident.</summary>
    private async Task<string> StateAsync(string? number, string incident)
    {
        var admin = _app.Api("admin");
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/v1/problems?pageSize=1", null)).Json.GetProperty("total").GetInt32();
        var inc = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{incident}", null)).Json;
        if (number is null) return $"{total}|{inc.GetProperty("version").GetInt32()}";
        var p = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/problems/{number}", null)).Json;
        var history = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/problems/{number}/history", null)).Json.GetArrayLength();
        var comments = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/problems/{number}/comments", null)).Json.GetArrayLength();
        return $"{total}|{p.GetProperty("version").GetInt32()}|{history}|{comments}|{p.GetProperty("incidents").GetArrayLength()}|{inc.GetProperty("version").GetInt32()}";
    }
}
