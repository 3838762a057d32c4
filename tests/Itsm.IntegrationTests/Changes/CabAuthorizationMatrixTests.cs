using System.Text.Json;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// Every CAB endpoint × every role and anonymous. Requesters see nothing of the CAB (403 everywhere); every fulfiller
/// reads the meetings; change managers (and admins) plan, start, reorder, add and remove agenda items, keep the minutes and close; CAB members and
/// change managers record decisions. Each cell runs on a fresh meeting; a mutating cell proves a refused call changed
/// nothing and an allowed one did.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CabAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    /// <summary>The paths this matrix answers for; the incident matrix covers the rest of the API.</summary>
    public static bool Covers(string route) => route.StartsWith("/api/v1/cab/", StringComparison.Ordinal) || route == "/api/v1/cab";

    private enum Target { None, Planned, InProgress }

    private sealed record Row(string Method, string Path, Target Target, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path} [{Target}]";
    }

    //                                          requester agent probmgr chgmgr cab engineer admin anonymous
    private static readonly int[] FulfillersRead = [403, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] Runners = [403, 403, 403, 200, 403, 403, 200, 401];
    private static readonly int[] Deciders = [403, 403, 403, 200, 200, 403, 200, 401];

    private const string Plan =
        """{"title":"Matrix CAB","startsAt":"2031-01-06T10:00:00Z","endsAt":"2031-01-06T11:00:00Z","periodFrom":"2031-01-01T00:00:00Z","periodTo":"2031-01-08T00:00:00Z"}""";

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/cab/meetings", Target.None, null, FulfillersRead),
        new("POST", "/api/v1/cab/meetings", Target.None, Plan, [403, 403, 403, 201, 403, 403, 201, 401], true),
        new("GET", "/api/v1/cab/meetings/{id}", Target.Planned, null, FulfillersRead),
        new("POST", "/api/v1/cab/meetings/{id}/start", Target.Planned, null, Runners, true),
        new("POST", "/api/v1/cab/meetings/{id}/items/{n}/decision", Target.InProgress, """{"decision":"defer","notes":"From the matrix"}""", Deciders, true),
        new("PUT", "/api/v1/cab/meetings/{id}/minutes", Target.Planned, """{"minutes":"Minutes from the matrix"}""", Runners, true),
        new("PUT", "/api/v1/cab/meetings/{id}/agenda", Target.Planned, """{"changeNumbers":["{second}","{n}"]}""", Runners, true),
        new("POST", "/api/v1/cab/meetings/{id}/agenda", Target.Planned, """{"changeNumber":"{awaiting}"}""", Runners, true),
        new("DELETE", "/api/v1/cab/meetings/{id}/agenda/{n}", Target.Planned, null, Runners, true),
        new("POST", "/api/v1/cab/meetings/{id}/close", Target.InProgress, null, Runners, true),
    ];

    private ItsmApp _app = null!;
    private string _first = "", _second = "", _awaiting = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        // Raised by the engineer: the change manager, CAB member and admin decide on someone else's change.
        _first = await RaiseAsync("Matrix: patch the mail relay");
        _second = await RaiseAsync("Matrix: rotate the proxy certificates");
        // Awaiting the CAB and on no agenda: each cell's fresh meeting may take it.
        _awaiting = await new CabScene(_app).HighRiskChangeAsync(CabScene.Period(_app, 1).From);
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryCabEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, Covers);
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path)).ToHashSet();
        Assert.That(mapped, Has.Count.EqualTo(10));
        Assert.That(mapped.Except(covered), Is.Empty, "CAB endpoints without a row in the authorization matrix");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsCabEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        var user = principal == Anonymous ? null : principal;
        var id = await TargetAsync(row.Target);
        var path = row.Path.Replace("{id}", id?.ToString()).Replace("{n}", _first);
        var body = row.Body?.Replace("{n}", _first).Replace("{second}", _second).Replace("{awaiting}", _awaiting);
        var before = row.Mutates ? await StateAsync(id) : null;

        var reply = await _app.Api(user).SendAsync(new HttpMethod(row.Method), path, body);

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {path} as {principal}: {reply}");
        if (expected >= 400) Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        if (expected is 200 or 201) Assert.That(reply.MediaType, Is.EqualTo("application/json"), reply.ToString());
        if (before is not null)
        {
            var after = await StateAsync(id);
            if (expected < 300) Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes something");
            else Assert.That(after, Is.EqualTo(before), "a refused write changes nothing");
        }
    }

    [Test]
    public async Task GetMeeting_WhenRequesterAsksForOneThatDoesNotExist_Gets403LikeOneThatDoes()
    {
        var id = await TargetAsync(Target.Planned);
        var existing = await _app.Api("requester").SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{id}", null);
        var missing = await _app.Api("requester").SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{Guid.NewGuid()}", null);
        var found = await _app.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{Guid.NewGuid()}", null);
        Assert.That((existing.Status, missing.Status, found.Status), Is.EqualTo((403, 403, 404)), "no existence oracle for requesters");
    }

    private async Task<string> RaiseAsync(string shortDescription)
    {
        var reply = await _app.Api("engineer").SendAsync(HttpMethod.Post, "/api/v1/changes",
            JsonSerializer.Serialize(new { type = "normal", shortDescription }));
        Assert.That(reply.Status, Is.EqualTo(201), reply.ToString());
        return reply.Json.GetProperty("number").GetString()!;
    }

    /// <summary>A fresh meeting with both changes on its agenda, started when the row needs it.</summary>
    private async Task<Guid?> TargetAsync(Target target)
    {
        if (target == Target.None) return null;
        var manager = _app.Api("changemanager");
        var plan = Plan.Replace("}", $$""","changeNumbers":["{{_first}}","{{_second}}"]}""");
        var created = await manager.SendAsync(HttpMethod.Post, "/api/v1/cab/meetings", plan);
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        var id = created.Json.GetProperty("id").GetGuid();
        if (target == Target.InProgress)
        {
            var started = await manager.SendAsync(HttpMethod.Post, $"/api/v1/cab/meetings/{id}/start", null);
            Assert.That(started.Status, Is.EqualTo(200), started.ToString());
        }
        return id;
    }

    /// <summary>What a write could change: how many meetings there are, and the meeting's version.</summary>
    private async Task<string> StateAsync(Guid? id)
    {
        var admin = _app.Api("admin");
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/v1/cab/meetings?pageSize=1", null)).Json.GetProperty("total").GetInt32();
        if (id is null) return $"{total}";
        var meeting = (await admin.SendAsync(HttpMethod.Get, $"/api/v1/cab/meetings/{id}", null)).Json;
        return $"{total}|{meeting.GetProperty("version").GetInt32()}|{meeting.GetProperty("state").GetString()}";
    }
}
