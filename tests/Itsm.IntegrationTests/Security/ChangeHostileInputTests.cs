using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Malformed and hostile requests against the change-management writes (raise, edit, decide an approval): never a 5xx;
/// every refusal is a 4xx problem document whose errors name the field; and nothing changes (the number of changes, the
/// target change's ETag, version and history, its approvals). A valid request afterwards proves the target was workable.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeHostileInputTests(DbProvider provider)
{
    private static readonly int[] Refusals = [400, 403, 404, 409, 412, 413, 415, 422];

    private static readonly FieldSpec[] RaiseSpec =
    [
        new("type", FieldKind.Text, 20, Required: true), new("template", FieldKind.Text, 60), new("shortDescription", FieldKind.Text, 1000),
        new("description", FieldKind.Text, 8000), new("impact", FieldKind.Int, 3, 1), new("urgency", FieldKind.Int, 3, 1),
        new("category", FieldKind.Text, 60), new("justification", FieldKind.Text, 8000), new("implementationPlan", FieldKind.Text, 8000),
        new("backoutPlan", FieldKind.Text, 8000), new("testPlan", FieldKind.Text, 8000), new("implementer", FieldKind.Text, 450),
        new("riskAnswers", FieldKind.Map),
    ];
    private static readonly FieldSpec[] PatchSpec = RaiseSpec.Where(f => f.Name is not "template").Select(f => f with { Required = false }).ToArray();
    private static readonly FieldSpec[] DecisionSpec = [new("decision", FieldKind.Text, 20, Required: true), new("comment", FieldKind.Text, 2000)];

    private ItsmApp _app = null!;
    private long _cart;
    private DateTimeOffset _nextSlot;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        var g = new CmdbTestGraph(_app, "hostile" + Guid.NewGuid().ToString("N")[..8]);
        _cart = await g.CiAsync("application-component", "cart", new Dictionary<string, object?> { ["ownerGroup"] = "Network Operations" });
        var start = _app.Clock.UtcNow.AddDays(20);
        _nextSlot = new DateTimeOffset(start.Year, start.Month, start.Day, 0, 0, 0, TimeSpan.Zero);
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    private string ValidRaise()
    {
        var start = _nextSlot;
        _nextSlot = _nextSlot.AddHours(2);
        return JsonSerializer.Serialize(new
        {
            type = "normal", shortDescription = "Hostile probe", description = "d", impact = 2, urgency = 2, justification = "j", implementationPlan = "i",
            backoutPlan = "b", testPlan = "t", plannedStart = start, plannedEnd = start.AddHours(1), implementer = "engineer", ciIds = new[] { _cart },
            riskAnswers = new Dictionary<string, string> { ["tested-in-staging"] = "yes" },
        });
    }

    [Test]
    public async Task RaiseChange_WhenBodyIsHostile_RefusesWithProblemAndCreatesNothing()
    {
        var valid = ValidRaise();
        var probes = Standard(valid, RaiseSpec, seed: 61).Concat(
        [
            new Probe("unknown type", HostileBodies.With(valid, "type", "\"'; DROP TABLE tickets; --\""), "type"),
            new Probe("template on a normal change", HostileBodies.With(valid, "template", "\"os-patch-linux\""), "template"),
            new Probe("implementer that does not exist", HostileBodies.With(valid, "implementer", "\"' OR '1'='1\""), "implementer"),
            new Probe("requester as implementer", HostileBodies.With(valid, "implementer", "\"requester\""), "implementer"),
            new Probe("category that does not exist", HostileBodies.With(valid, "category", "\"<script>\""), "category"),
            .. TimeProbes(valid, "plannedStart"), .. TimeProbes(valid, "plannedEnd"),
            new Probe("end before start", HostileBodies.With(valid, "plannedEnd", "\"2000-01-01T00:00:00Z\""), "plannedEnd"),
            .. ListProbes(valid, "ciIds"),
            new Probe("CI that does not exist", HostileBodies.With(valid, "ciIds", "[9223372036854775807]"), "ciIds"),
            new Probe("1001 CIs", HostileBodies.With(valid, "ciIds", "[" + string.Join(",", Enumerable.Range(1, 1001)) + "]"), "ciIds"),
            new Probe("Idempotency-Key of 201 chars", valid, "Idempotency-Key", headers: Header("Idempotency-Key", new string('k', 201))),
        ]);
        await AssertRefusedAsync("engineer", HttpMethod.Post, "/api/v1/changes", probes, target: null, expectAtLeast: 250);

        var created = await _app.Api("engineer").SendAsync(HttpMethod.Post, "/api/v1/changes", ValidRaise());
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
    }

    [Test]
    public async Task UpdateChange_WhenBodyOrHeadersAreHostile_RefusesWithProblemAndChangesNothing()
    {
        var number = await RaiseAsync();
        const string valid = """{"description":"patched","impact":1}""";
        var probes = Standard(valid, PatchSpec, seed: 62).Concat(
        [
            new Probe("type that does not exist", HostileBodies.With(valid, "type", "\"unplanned\""), "type"),
            new Probe("standard without a template", HostileBodies.With(valid, "type", "\"standard\""), "template"),
            new Probe("implementer cleared", HostileBodies.With(valid, "implementer", "null"), "implementer"),
            .. TimeProbes(valid, "plannedStart"),
            new Probe("start without an end", HostileBodies.With(HostileBodies.With(valid, "plannedStart", "\"2030-01-01T00:00:00Z\""), "plannedEnd", "null"), "plannedEnd"),
            new Probe("unknown change", valid, null, path: "/api/v1/changes/CHG0000000"),
            new Probe("an incident's number", valid, null, path: "/api/v1/changes/INC0000001"),
            new Probe("SQL in the number", valid, null, path: "/api/v1/changes/" + Uri.EscapeDataString("CHG1' OR '1'='1")),
        ]).Concat(IfMatchProbes(valid));
        await AssertRefusedAsync("engineer", HttpMethod.Patch, $"/api/v1/changes/{number}", probes, number, expectAtLeast: 200);

        var patched = await _app.Api("engineer").SendAsync(HttpMethod.Patch, $"/api/v1/changes/{number}", valid);
        Assert.That(patched.Status, Is.EqualTo(200), patched.ToString());
    }

    [Test]
    public async Task DecideApproval_WhenBodyPathOrHeadersAreHostile_RefusesWithProblemAndDecidesNothing()
    {
        var number = await RaiseAsync();
        var cm = _app.Api("changemanager");
        foreach (var transition in new[] { "submit-for-assessment", "request-authorization" })
        {
            var moved = await cm.SendAsync(HttpMethod.Post, $"/api/v1/changes/{number}/transitions", JsonSerializer.Serialize(new { transition }));
            Assert.That(moved.Status, Is.EqualTo(200), moved.ToString());
        }
        var approval = (await cm.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/approvals", null)).Json.GetProperty("approvals")[0].GetProperty("id").GetString();
        var path = $"/api/v1/changes/{number}/approvals/{approval}/decision";
        const string valid = """{"decision":"approve","comment":"ok"}""";
        var probes = Standard(valid, DecisionSpec, seed: 63).Concat(
        [
            new Probe("decision that does not exist", HostileBodies.With(valid, "decision", "\"approve!\""), "decision"),
            new Probe("reject without a comment", """{"decision":"reject"}""", "comment"),
            new Probe("reject with a blank comment", """{"decision":"reject","comment":"   "}""", "comment"),
            new Probe("approval that does not exist", valid, null, path: $"/api/v1/changes/{number}/approvals/{Guid.NewGuid()}/decision"),
            new Probe("approval id that is not a GUID", valid, null, path: $"/api/v1/changes/{number}/approvals/1%20OR%201=1/decision"),
            new Probe("approval of another number", valid, null, path: $"/api/v1/changes/CHG0000000/approvals/{approval}/decision"),
        ]).Concat(IfMatchProbes(valid));
        await AssertRefusedAsync("agent", HttpMethod.Post, path, probes, number, expectAtLeast: 120);

        var decided = await _app.Api("agent").SendAsync(HttpMethod.Post, path, valid);
        Assert.That(decided.Status, Is.EqualTo(200), decided.ToString());
        Assert.That(decided.Json.GetProperty("state").GetString(), Is.EqualTo("approved"));
    }

    // ---- helpers ----

    private async Task<string> RaiseAsync()
    {
        var created = await _app.Api("engineer").SendAsync(HttpMethod.Post, "/api/v1/changes", ValidRaise());
        Assert.That(created.Status, Is.EqualTo(201), created.ToString());
        return created.Json.GetProperty("number").GetString()!;
    }

    private static IEnumerable<Probe> Standard(string valid, FieldSpec[] spec, int seed) =>
        HostileBodies.Structural(valid).Concat(HostileBodies.Fields(valid, spec)).Concat(HostileBodies.Fuzz(valid, spec, seed, 60));

    private static IEnumerable<Probe> TimeProbes(string valid, string field) =>
        new[] { "\"tomorrow\"", "\"2026-12-05T22:00:00\"", "\"2026-13-01T00:00:00Z\"", "\"1999-12-31T23:59:59Z\"", "\"2101-01-01T00:00:00Z\"", "1733436000", "true", "[]", "{}",
                "\"2026-12-05T22:00:00+99:00\"", "\"' OR 1=1 --\"", JsonSerializer.Serialize(new string('9', 65)) }
            .Select(v => new Probe($"{field}={HostileBodies.Shorten(v)}", HostileBodies.With(valid, field, v), field));

    private static IEnumerable<Probe> ListProbes(string valid, string field) =>
        new[] { "\"1\"", "1", "{}", "[\"1\"]", "[1.5]", "[0]", "[-1]", "[true]", "[null]", "[[1]]", "[{}]", "[1e400]", "[9223372036854775808]" }
            .Select(v => new Probe($"{field}={v}", HostileBodies.With(valid, field, v), field));

    private static IEnumerable<Probe> IfMatchProbes(string valid) =>
        new[] { "abc", "*", "\"\"", "W/\"x\"", "\"-1\"", "\"1.5\"", "\"99999999999\"" }
            .Select(v => new Probe($"If-Match: {v}", valid, "If-Match", headers: Header("If-Match", v)))
            .Concat(new[] { "\"0\"", "\"1\"", "\"999\"", "W/\"999\"" }.Select(v => new Probe($"stale If-Match: {v}", valid, null, headers: Header("If-Match", v))));

    private static Dictionary<string, string> Header(string name, string value) => new() { [name] = value };

    /// <summary>What a write could change: the number of changes; the target's ETag, version, history and approvals.</summary>
    private async Task<string> StateAsync(string? number)
    {
        var admin = _app.Api("admin");
        var total = (await admin.SendAsync(HttpMethod.Get, "/api/v1/changes?pageSize=1", null)).Json.GetProperty("total").GetInt32();
        if (number is null) return $"{total}";
        var change = await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}", null);
        var history = await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/history", null);
        var approvals = await admin.SendAsync(HttpMethod.Get, $"/api/v1/changes/{number}/approvals", null);
        Assert.That(new[] { change.Status, history.Status, approvals.Status }, Is.All.EqualTo(200), $"read {number}: {change}");
        return $"{total}|{change.Response.Headers.ETag?.Tag}|{change.Json.GetProperty("version").GetInt32()}|{history.Json.GetArrayLength()}|{approvals.Text}";
    }

    private async Task AssertRefusedAsync(string user, HttpMethod method, string path, IEnumerable<Probe> probes, string? target, int expectAtLeast)
    {
        var client = _app.Api(user);
        var before = await StateAsync(target);
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
            sent++;
            if (reply.Status >= 500) failures.Add($"{probe.Name}: server error {reply}");
            else if (!Refusals.Contains(reply.Status)) failures.Add($"{probe.Name}: not refused, got {reply}");
            else if (probe.Status is { } status && reply.Status != status) failures.Add($"{probe.Name}: expected {status}, got {reply}");
            else if (!reply.IsProblem) failures.Add($"{probe.Name}: {reply.Status} is not application/problem+json ({reply.MediaType})");
            else if (reply.Status == 400 && probe.Needle is { } needle && !Words(reply.Json).Any(w => w.Contains(needle, StringComparison.OrdinalIgnoreCase)))
                failures.Add($"{probe.Name}: the error does not name '{needle}': {reply}");
        }
        Assert.That(sent, Is.GreaterThanOrEqualTo(expectAtLeast), "probes sent");
        Assert.That(failures, Is.Empty, $"{failures.Count} of {sent} hostile requests were mishandled:\n" + string.Join("\n", failures));
        Assert.That(await StateAsync(target), Is.EqualTo(before), "refused requests changed the data");
    }

    private static IEnumerable<string> Words(JsonElement problem)
    {
        if (problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String) yield return detail.GetString()!;
        if (!problem.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object) yield break;
        foreach (var e in errors.EnumerateObject())
        {
            yield return e.Name;
            foreach (var m in e.Value.EnumerateArray()) yield return m.GetString() ?? "";
        }
    }
}
