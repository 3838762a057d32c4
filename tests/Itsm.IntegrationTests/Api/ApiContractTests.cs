using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document and the API agree, for every operation that takes a JSON body (so a new module's endpoints are
/// covered without a line here): the fields the binding accepts are exactly the schema's properties, the fields it
/// requires exactly the schema's <c>required</c>; and a body that is not declared JSON is refused with 415.
/// </summary>
[TestFixture]
public sealed partial class ApiContractTests
{
    private ItsmApp _app = null!;
    private List<Operation> _operations = null!;

    private sealed record Operation(string Method, string Path, string[] Properties, string[] Required, Dictionary<string, string> PathValues)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(DbProvider.Sqlite);
        var reply = await _app.Api(null).SendAsync(HttpMethod.Get, "/openapi/v1.json", null);
        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        _operations = JsonOperations(reply.Json).ToList();
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public void OpenApi_WhenRead_DescribesEveryJsonBodyOperation()
    {
        Assert.That(_operations.Select(o => o.ToString()), Is.SupersetOf(new[]
        {
            "POST /api/v1/auth/token", "POST /api/v1/incidents", "PATCH /api/v1/incidents/{number}",
            "POST /api/v1/incidents/{number}/transitions", "POST /api/v1/incidents/{number}/comments",
        }));
    }

    [Test]
    public async Task JsonBody_WhenComparedWithTheOpenApiSchema_AcceptsAndRequiresTheSameFields()
    {
        var failures = new List<string>();
        foreach (var op in _operations)
        {
            // Every property of the schema (each null: a value some fields refuse, but none may be unknown).
            var allNull = JsonSerializer.Serialize(op.Properties.ToDictionary(p => p, _ => (object?)null));
            var errors = Errors(await SendAsync(op, allNull, "application/json"));
            var unknown = errors.Where(e => e.Value.Any(m => m.Contains("not a known field", StringComparison.Ordinal))).Select(e => e.Key).ToList();
            if (unknown.Count > 0) failures.Add($"{op}: the schema's {string.Join(", ", unknown)} not accepted");

            // Required means "must be present": an empty object lacks exactly the required fields.
            Compare(op, "as the required fields of {}", Missing(Errors(await SendAsync(op, "{}", "application/json"))), op.Required, failures);

            // An unknown field is refused, and the refusal lists what is known: exactly the schema's properties.
            var probe = Errors(await SendAsync(op, """{"notAFieldOfAnyBody":1}""", "application/json"));
            var known = probe.GetValueOrDefault("notAFieldOfAnyBody")?.Select(m => KnownList().Match(m)).FirstOrDefault(m => m.Success);
            if (known is null) failures.Add($"{op}: an unknown field was not refused as unknown");
            else Compare(op, "as the known fields", known.Groups[1].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries), op.Properties, failures);
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [TestCase(null)]
    [TestCase("text/plain")]
    [TestCase("application/xml")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json-patch+json")]
    [TestCase("application/json; charset=utf-16")]
    [TestCase("application/jsonx")]
    public async Task JsonBody_WhenContentTypeIsMissingOrNotJson_Returns415Problem(string? contentType)
    {
        var failures = new List<string>();
        foreach (var op in _operations)
        {
            var reply = await SendAsync(op, """{"text":"x"}""", contentType);
            if (reply.Status != 415 || !reply.IsProblem) failures.Add($"{op}: {reply}");
        }
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
    }

    [TestCase("application/json")]
    [TestCase("application/json; charset=utf-8")]
    [TestCase("Application/JSON")]
    [TestCase("application/merge-patch+json")]
    public async Task JsonBody_WhenContentTypeIsJson_IsRead(string contentType)
    {
        foreach (var op in _operations)
        {
            var reply = await SendAsync(op, """{"notAFieldOfAnyBody":1}""", contentType);
            Assert.That(reply.Status, Is.EqualTo(400), $"{op}: {reply}");
            Assert.That(Errors(reply), Does.ContainKey("notAFieldOfAnyBody"), $"{op}: {reply}");
        }
    }

    private static void Compare(Operation op, string what, IEnumerable<string> actual, IEnumerable<string> expected, List<string> failures)
    {
        var a = actual.Order(StringComparer.Ordinal).ToList();
        var e = expected.Order(StringComparer.Ordinal).ToList();
        if (!a.SequenceEqual(e))
            failures.Add($"{op} {what}: the binding has [{string.Join(", ", a)}], the OpenAPI document [{string.Join(", ", e)}]");
    }

    private static IEnumerable<string> Missing(Dictionary<string, string[]> errors) =>
        errors.Where(e => e.Value.Contains("This field is required.")).Select(e => e.Key);

    private static Dictionary<string, string[]> Errors(Reply reply)
    {
        if (reply.Status != 400 || !reply.IsProblem || !reply.Json.TryGetProperty("errors", out var errors)) return [];
        return errors.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray());
    }

    private async Task<Reply> SendAsync(Operation op, string body, string? contentType) =>
        await _app.Api("admin").SendAsync(new HttpMethod(op.Method),
            Placeholders().Replace(op.Path, m => op.PathValues.GetValueOrDefault(m.Groups[1].Value, "INC0000000")), body, contentType);

    // Bodies are read before anything is looked up, so any value of the route parameter's type will do.
    private static Dictionary<string, string> PathValues(JsonElement operation)
    {
        var values = new Dictionary<string, string>();
        if (!operation.TryGetProperty("parameters", out var parameters)) return values;
        foreach (var p in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "path"))
        {
            var schema = p.TryGetProperty("schema", out var sc) ? sc : default;
            var format = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            var type = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t) ? t.ToString() : null;
            values[p.GetProperty("name").GetString()!] = format == "uuid" ? Guid.Empty.ToString() : type?.Contains("integer", StringComparison.Ordinal) == true ? "0" : "INC0000000";
        }
        return values;
    }

    private static IEnumerable<Operation> JsonOperations(JsonElement doc)
    {
        var schemas = doc.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object))
            {
                if (!op.Value.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)) continue;
                var schema = json.GetProperty("schema");
                if (schema.TryGetProperty("$ref", out var reference))
                    schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
                var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name).ToArray() : [];
                var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
                yield return new Operation(op.Name.ToUpperInvariant(), path.Name, properties, required, PathValues(op.Value));
            }
    }

    [GeneratedRegex(@"\{([^}]*)\}")]
    private static partial Regex PlaceholderPattern();

    private static Regex Placeholders() => PlaceholderPattern();

    [GeneratedRegex(@"Known: (.*)\.$")]
    private static partial Regex KnownList();
}
