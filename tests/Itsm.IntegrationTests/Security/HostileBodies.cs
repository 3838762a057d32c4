using System.Text;
using System.Text.Json;

namespace Itsm.IntegrationTests.Security;

/// <summary>One hostile request: what to send and, for a 400, a word the error must contain (the field or "body"); <paramref name="Status"/>, when set, the refusal it must get.</summary>
public sealed record Probe(string Name, byte[]? Body, string? Needle, string? ContentType = "application/json",
    IReadOnlyDictionary<string, string>? Headers = null, string? Path = null, int? Status = null)
{
    public Probe(string name, string? body, string? needle, string? contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null, string? path = null, int? status = null)
        : this(name, body is null ? null : Encoding.UTF8.GetBytes(body), needle, contentType, headers, path, status) { }
}

public enum FieldKind { Text, Int, Bool, Guid, Map }

/// <summary>A body field as the endpoint reads it: its kind, the longest text or the range of numbers it takes.</summary>
/// <param name="Required">null, empty and blank are refused.</param>
/// <param name="MayBeAbsent">leaving the field out is fine even when <paramref name="Required"/> (PATCH).</param>
public sealed record FieldSpec(string Name, FieldKind Kind, int Max = 0, int Min = 0, bool Required = false, bool MayBeAbsent = false);

/// <summary>
/// Generates bodies that every write endpoint must refuse: broken JSON, wrong roots, wrong types, out-of-range
/// numbers, over-long and control-character strings, unknown and duplicate fields, plus seeded random mutations
/// of a valid body that are invalid by construction (so a 2xx is always a bug, never luck).
/// </summary>
public static class HostileBodies
{
    public const int MaxBody = 1024 * 1024;

    /// <summary>Broken bodies any endpoint must refuse as a whole ("body").</summary>
    public static IEnumerable<Probe> Structural(string validBody)
    {
        string[] broken =
        [
            "", "   ", "{", "}", "{\"a\":", "[", "nul", "{'shortDescription':'single quotes'}", "{shortDescription:\"unquoted\"}",
            "{\"a\":1,}", "/* comment */ {}", "{\"a\":1}{\"b\":2}", "{\"a\" 1}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":Infinity}",
            "{\"a\":\"unterminated}", "{\"a\":\"bad escape \\q\"}", "{\"a\":\"raw \u0000 null\"}", "{\"a\":\"raw \u0001 control\"}",
            "[]", "[{}]", "[" + validBody + "]", "\"a string\"", "42", "-1.5e308", "true", "false", "null",
            new string('[', 10_000) + new string(']', 10_000),
            string.Concat(Enumerable.Repeat("{\"a\":", 64)) + "1" + new string('}', 64),
            validBody[..^1], // the valid body without its closing brace
        ];
        foreach (var (body, i) in broken.Select((b, i) => (b, i)))
            yield return new Probe($"structural #{i}: {Shorten(body)}", body, "body");
        yield return new Probe("invalid UTF-8", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], "body");
        yield return new Probe("UTF-16 body", Encoding.Unicode.GetBytes(validBody), "body");
        yield return new Probe("over 1 MiB", "{\"x\":\"" + new string('a', MaxBody) + "\"}", "body");
        yield return new Probe("3 MiB of whitespace", new string(' ', 3 * MaxBody) + validBody, "body");
        // A body not declared JSON is not read as JSON: 415, whatever it holds.
        foreach (var type in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/html",
                     "application/json-patch+json", "application/json; charset=utf-16" })
            yield return new Probe($"valid body as {type}", validBody, null, type, status: 415);
        yield return new Probe("valid body without a Content-Type", validBody, null, contentType: null, status: 415);
        yield return new Probe("empty body without a Content-Type", "", null, contentType: null, status: 415);
    }

    /// <summary>Every field set, one at a time, to each value its kind must refuse; unknown fields; a duplicated field.</summary>
    public static IEnumerable<Probe> Fields(string validBody, IReadOnlyList<FieldSpec> specs)
    {
        foreach (var spec in specs)
        {
            foreach (var bad in BadValues(spec, new Random(spec.Name.Length)))
                yield return new Probe($"{spec.Name}={Shorten(bad)}", With(validBody, spec.Name, bad), spec.Name);
            if (spec is { Required: true, MayBeAbsent: false }) yield return new Probe($"{spec.Name} missing", Without(validBody, spec.Name), spec.Name);
        }
        string[] unknown = ["number", "state", "priority", "version", "id", "requesterId", "createdBy", "isAdmin", "roles",
            "ShortDescription", "__proto__", "constructor", "$where", "", "short\u200bDescription", "a\u0000b"];
        foreach (var name in unknown)
            yield return new Probe($"unknown field '{Shorten(name)}'", Append(validBody, JsonSerializer.Serialize(name), "1"), "not a known field");
        var first = JsonDocument.Parse(validBody).RootElement.EnumerateObject().First();
        yield return new Probe($"{first.Name} given twice", Append(validBody, JsonSerializer.Serialize(first.Name), first.Value.GetRawText()), first.Name);
        yield return new Probe("lone surrogate in a value", With(validBody, first.Name, "\"\\ud800\""), "body");
        yield return new Probe("lone surrogate in a name", Append(validBody, "\"\\udfff\"", "1"), "body");
    }

    /// <summary>Seeded random mutations of a valid body, each invalid by construction.</summary>
    public static IEnumerable<Probe> Fuzz(string validBody, IReadOnlyList<FieldSpec> specs, int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var spec = specs[random.Next(specs.Count)];
            var kind = random.Next(6);
            yield return kind switch
            {
                // Any proper prefix of a JSON object is not JSON.
                0 => Named(i, new Probe("truncated", validBody[..random.Next(1, validBody.Length - 1)], "body")),
                // A raw control character (not whitespace) is invalid everywhere in JSON text.
                1 => Named(i, new Probe("raw control char", Insert(validBody, random.Next(validBody.Length), RawControl(random)), "body")),
                2 => Named(i, new Probe($"{spec.Name} wrong value", With(validBody, spec.Name, Pick(BadValues(spec, random).ToList(), random)), spec.Name)),
                3 => Named(i, UnknownField(validBody, random)),
                4 => Named(i, new Probe($"{spec.Name} twice", Append(With(validBody, spec.Name, GoodValue(spec)), JsonSerializer.Serialize(spec.Name), GoodValue(spec)), spec.Name)),
                _ => Named(i, spec.Kind == FieldKind.Text
                    ? new Probe($"{spec.Name} escaped control char", With(validBody, spec.Name, $"\"ok\\u{random.Next(1, 9):x4}ok\""), spec.Name)
                    : new Probe($"{spec.Name} wrong value", With(validBody, spec.Name, Pick(BadValues(spec, random).ToList(), random)), spec.Name)),
            };
        }
    }

    private static Probe Named(int i, Probe p) => p with { Name = $"fuzz #{i} {p.Name}: {Shorten(p.Body is null ? "" : Encoding.UTF8.GetString(p.Body))}" };

    private static Probe UnknownField(string body, Random random)
    {
        var name = "x" + new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        string[] values = ["1", "\"v\"", "null", "[]", "{}", "true"];
        return new Probe($"unknown field {name}", Append(body, JsonSerializer.Serialize(name), Pick(values, random)), name);
    }

    /// <summary>JSON values (raw text) the field must refuse.</summary>
    public static IEnumerable<string> BadValues(FieldSpec spec, Random random)
    {
        string[] notText = ["1", "-0.5", "true", "false", "[]", "[\"a\"]", "{}", "{\"a\":\"b\"}"];
        switch (spec.Kind)
        {
            case FieldKind.Text:
                foreach (var v in notText) yield return v;
                yield return JsonSerializer.Serialize(new string('x', spec.Max + 1 + random.Next(50)));
                yield return "\"null byte \\u0000 here\"";
                yield return "\"bell \\u0007 escape \\u001b[31m\"";
                yield return "\"delete \\u007f\"";
                if (spec.Required) { yield return "null"; yield return "\"\""; yield return "\"   \""; }
                break;
            case FieldKind.Int:
                foreach (var v in new[] { $"{spec.Min - 1}", $"{spec.Max + 1}", "1.5", "2.0", "1e0", $"\"{spec.Min}\"", "true", "[]", "{}", "2147483648", "-2147483649", "1e400" })
                    yield return v;
                break;
            case FieldKind.Bool:
                foreach (var v in new[] { "\"true\"", "1", "0", "\"yes\"", "[]", "{}" }) yield return v;
                break;
            case FieldKind.Guid:
                foreach (var v in new[] { "\"not-a-guid\"", "1", "true", "\"1234\"", "\"\"", "\"' OR 1=1 --\"", "{}", "\"00000000-0000-0000-0000-000000000000\"", $"\"{new Guid(random.Next(), 1, 2, new byte[8])}\"" })
                    yield return v;
                break;
            case FieldKind.Map:
                foreach (var v in new[] { "\"x\"", "1", "true", "[]", "[\"a\"]", "{\"holdReason\":1}", "{\"holdReason\":true}", "{\"holdReason\":[]}", "{\"holdReason\":{}}",
                             "{\"bogusField\":\"x\"}", "{\"holdReason\":" + JsonSerializer.Serialize(new string('x', 8001)) + "}" })
                    yield return v;
                break;
        }
    }

    private static string GoodValue(FieldSpec spec) => spec.Kind switch
    {
        FieldKind.Int => $"{spec.Min}",
        FieldKind.Bool => "false",
        FieldKind.Map => "{}",
        _ => "\"ok\"",
    };

    /// <summary>The body with one field's raw value replaced (or added at the end).</summary>
    public static string With(string body, string name, string rawValue)
    {
        var parts = JsonDocument.Parse(body).RootElement.EnumerateObject()
            .Select(p => (p.Name, Raw: p.Name == name ? rawValue : p.Value.GetRawText())).ToList();
        if (parts.All(p => p.Name != name)) parts.Add((name, rawValue));
        return "{" + string.Join(",", parts.Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Raw}")) + "}";
    }

    private static string Without(string body, string name) =>
        "{" + string.Join(",", JsonDocument.Parse(body).RootElement.EnumerateObject().Where(p => p.Name != name)
            .Select(p => $"{JsonSerializer.Serialize(p.Name)}:{p.Value.GetRawText()}")) + "}";

    /// <summary>Adds a member at the end without parsing: the raw name may be a duplicate or invalid text.</summary>
    private static string Append(string body, string rawName, string rawValue) => body[..^1] + $",{rawName}:{rawValue}}}";

    private static string Insert(string s, int at, char c) => s[..at] + c + s[at..];

    private static char RawControl(Random random)
    {
        char[] controls = [.. Enumerable.Range(0, 32).Select(i => (char)i).Where(c => c is not '\t' and not '\n' and not '\r')];
        return controls[random.Next(controls.Length)];
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];

    public static string Shorten(string s)
    {
        var clean = new string(s.Take(60).Select(c => char.IsControl(c) ? '·' : c).ToArray());
        return s.Length > 60 ? clean + $"…({s.Length} chars)" : clean;
    }
}
