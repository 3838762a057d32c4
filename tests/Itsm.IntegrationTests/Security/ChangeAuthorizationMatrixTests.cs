using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Every change-management endpoint × every role and anonymous. Requesters see nothing of changes (403 on every
/// endpoint, the approvals inbox included); every fulfiller reads and comments; engineers, change managers and admins
/// raise and work changes; the lifecycle's transitions are change.yaml's; an approval is decided by its approvers only
/// (here a member of the owner group, never an admin or change manager outside it). Each cell runs on a fresh change, and
/// a mutating cell proves a refused call changed nothing and an allowed one did.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    /// <summary>The paths this matrix answers for; the incident matrix covers the rest of the API.</summary>
    public static bool Covers(string route) =>
        route.StartsWith("/api/v1/changes", StringComparison.Ordinal) || route.StartsWith("/api/v1/approvals", StringComparison.Ordinal);

    private enum Target { None, New, Authorize }

    private sealed record Row(string Method, string Path, Target Target, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path} [{Target}]" + (Body is not null && Body.Contains("workNote", StringComparison.Ordinal) ? " [work note]" : "");
    }

    //                                          requester agent probmgr chgmgr cab engineer admin anonymous
    private static readonly int[] Readers = [403, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] Workers = [403, 403, 403, 200, 403, 200, 200, 401];
    private static readonly int[] Commenters = [403, 201, 201, 201, 201, 201, 201, 401];

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/changes", Target.None, null, Readers),
        new("POST", "/api/v1/changes", Target.None, """{"type":"normal","shortDescription":"Matrix probe change"}""", [403, 403, 403, 201, 403, 201, 201, 401], true),
        new("GET", "/api/v1/changes/{n}", Target.New, null, Readers),
        new("PATCH", "/api/v1/changes/{n}", Target.New, """{"testPlan":"Tested by the matrix"}""", Workers, true),
        new("GET", "/api/v1/changes/{n}/assessment", Target.New, null, Readers),
        new("GET", "/api/v1/changes/{n}/risk", Target.New, null, Readers),
        new("GET", "/api/v1/changes/{n}/conflicts", Target.New, null, Readers),
        new("GET", "/api/v1/changes/{n}/approvals", Target.Authorize, null, Readers),
        // Only a member of the owner group (Network Operations: the agent) decides; roles give no right to.
        new("POST", "/api/v1/changes/{n}/approvals/{approval}/decision", Target.Authorize, """{"decision":"approve"}""", [403, 200, 403, 403, 403, 403, 403, 401], true),
        new("GET", "/api/v1/approvals", Target.Authorize, null, Readers),
        new("GET", "/api/v1/changes/{n}/transitions", Target.New, null, Readers),
        // submit-for-assessment is for engineers, change managers and admins (change.yaml).
        new("POST", "/api/v1/changes/{n}/transitions", Target.New, """{"transition":"submit-for-assessment"}""", Workers, true),
        new("POST", "/api/v1/changes/{n}/take", Target.New, null, Workers, true),
        new("GET", "/api/v1/changes/{n}/comments", Target.New, null, Readers),
        new("POST", "/api/v1/changes/{n}/comments", Target.New, """{"text":"A comment from the matrix"}""", Commenters, true),
        new("POST", "/api/v1/changes/{n}/comments", Target.New, """{"text":"An internal note","workNote":true}""", Commenters, true),
        new("GET", "/api/v1/changes/{n}/history", Target.New, null, Readers),
        new("GET", "/api/v1/changes/{n}/cis", Target.New, null, Readers),
        new("POST", "/api/v1/changes/{n}/cis", Target.New, """{"ciId":{extra}}""", Workers, true),
        new("DELETE", "/api/v1/changes/{n}/cis/{cmp}", Target.New, null, Workers, true),
        new("POST", "/api/v1/changes/{n}/impacted-services/{svc}/include", Target.New, null, Workers, true),
        new("POST", "/api/v1/changes/{n}/impacted-services/{svc}/exclude", Target.New, null, Workers, true),
        new("GET", "/api/v1/changes/{n}/related", Target.New, null, Readers),
        new("GET", "/api/v1/changes/{n}/free-slots", Target.New, null, Readers),
        new("GET", "/api/v1/changes/calendar", Target.None, null, Readers),
        new("GET", "/api/v1/changes/calendar/link", Target.None, null, Readers),
        new("POST", "/api/v1/changes/calendar/link", Target.None, null, Readers),
        new("DELETE", "/api/v1/changes/calendar/link", Target.None, null, Readers),
        new("GET", "/api/v1/approvals/delegations", Target.None, null, Readers),
        // To the admin: the admin delegating to themselves is refused (400).
        new("POST", "/api/v1/approvals/delegations", Target.None, """{"to":"admin","ends":"{ends}"}""", [403, 200, 200, 200, 200, 200, 400, 401]),
        new("DELETE", "/api/v1/approvals/delegations/{delegation}", Target.None, null, [403, 404, 404, 404, 404, 404, 404, 401]),
    ];

    private ItsmApp _app = null!;
    private long _service, _component, _extra;
    private DateTimeOffset _nextSlot;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        var g = new CmdbTestGraph(_app, "matrix" + Guid.NewGuid().ToString("N")[..8]);
        _service = await g.CiAsync("business-service", "Shop", new Dictionary<string, object?> { ["ownerGroup"] = "Network Operations" });
        _component = await g.CiAsync("application-component", "cart", new Dictionary<string, object?> { ["ownerGroup"] = "Network Operations" });
        _extra = await g.CiAsync("application-component", "api", new Dictionary<string, object?> { ["ownerGroup"] = "Network Operations" });
        await g.LinkAsync(_service, "depends-on", _component);
        var start = _app.Clock.UtcNow.AddDays(30);
        _nextSlot = new DateTimeOffset(start.Year, start.Month, start.Day, 0, 0, 0, TimeSpan.Zero);
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryChangeEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, Covers);
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path)).ToHashSet();
        Assert.That(mapped, Has.Count.GreaterThanOrEqualTo(21));
        Assert.That(mapped.Except(covered), Is.Empty, "change endpoints without a row in the authorization matrix");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsChangeEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        var (number, approval) = await TargetAsync(row.Target);
        string Fill(string s) => s.Replace("{n}", number).Replace("{approval}", approval).Replace("{extra}", $"{_extra}")
            .Replace("{cmp}", $"{_component}").Replace("{svc}", $"{_service}")
            .Replace("{ends}", _app.Clock.UtcNow.AddDays(10).ToString("O")).Replace("{delegation}", Guid.NewGuid().ToString());
        var before = row.Mutates ? await StateAsync(number) : null;

        var reply = await _app.Api(principal == Anonymous ? null : principal).SendAsync(new HttpMethod(row.Method), Fill(row.Path), row.Body is null ? null : Fill(row.Body));

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {Fill(row.Path)} as {principal}: {reply}");
        if (expected >= 400) Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        if (expected is 200 or 201) Assert.That(reply.MediaType, Is.EqualTo("application/json"), reply.ToString());
        if (before is not null)
        {
            var after = await StateAsync(number);
            if (expected < 300) Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes something");
            else Assert.That(after, Is.EqualTo(before), "a refused write changes nothing");
        }
    }

    [Test]
    public async Task GetChange_WhenRequesterAsksForOneThatDoesNotExist_Gets403LikeOneThatDoes()
    {
        var (number, _) = await TargetAsync(Target.New);
        foreach (var path in new[] { "", "/approvals", "/assessment" })
        {
            var existing = await _app.Api("requester").SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}{path}", null);
            var missing = await _app.Api("requester").SendAsync(HttpMethod.Get, $"/api/v1/changes/CHG9999999{path}", null);
            Assert.That((existing.Status, missing.Status), Is.EqualTo((403, 403)), $"no existence oracle on {path}");
        }
    }

    /// <summary>
    /// A fresh change raised by the change manager (who also implements it) on the component the Shop depends on, with a
    /// full plan; in Authorize, the approval asked of Network Operations.
    /// </summary>
    private async Task<(string? Number, string? Approval)> TargetAsync(Target target)
    {
        if (target == Target.None) return (null, null);
        var cm = _app.Api("changemanager");
        var start = _nextSlot;
        _nextSlot = _nextSlot.AddHours(2);
        var created = await cm.SendAsync(HttpMethod.Post, "/api/v1/changes", JsonSerializer.Serialize(new
        {
            type = "normal", shortDescription = "Matrix: upgrade the cart", justification = "Support ends", implementationPlan = "Upgrade",
            backoutPlan = "Downgrade", testPlan = "Smoke tests", plannedStart = start, plannedEnd = start.AddHours(1), ciIds = new[] { _component },
        }));
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        var number = created.Json.GetProperty("number").GetString()!;
        if (target == Target.New) return (number, null);
        foreach (var transition in new[] { "submit-for-assessment", "request-authorization" })
        {
            var moved = await cm.SendAsync(HttpMethod.Post, $"/api/v1/changes/{number}/transitions", JsonSerializer.Serialize(new { transition }));
            Assert.That(moved.Status, Is.EqualTo(200), $"{transition}: {moved}");
        }
        var approvals = await cm.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/approvals", null);
        var approval = approvals.Json.GetProperty("approvals").EnumerateArray().Single(a => a.GetProperty("state").GetString() == "requested");
        Assert.That(approval.GetProperty("approverName").GetString(), Is.EqualTo("Network Operations"));
        return (number, approval.GetProperty("id").GetString());
    }

    /// <summary>What a write could change: the change count; the change's version, history, worklog, CIs and approvals.</summary>
    private async Task<string> StateAsync(string? number)
    {
        var admin = _app.Api("admin");
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/v1/changes?pageSize=1", null)).Json.GetProperty("total").GetInt32();
        if (number is null) return $"{total}";
        var change = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}", null)).Json;
        var history = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/history", null)).Json.GetArrayLength();
        var comments = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/comments", null)).Json.GetArrayLength();
        var cis = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/cis", null)).Text;
        var approvals = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/approvals", null)).Text;
        return $"{total}|{change.GetProperty("version").GetInt32()}|{history}|{comments}|{cis}|{approvals.Replace("\"canDecide\":false", "")}";
    }
}
