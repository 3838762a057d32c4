using System.Globalization;
using System.Text.Json;
using Itsm.Application.Common;
using Itsm.Domain.Common;

namespace Itsm.Web.Api;

/// <summary>
/// Strict reading of a JSON object body: only with a JSON Content-Type (else 415), size-limited, unknown, missing
/// required or mistyped fields are field errors (a typo in a field name must not silently do nothing), and every
/// error is reported at once.
/// </summary>
public sealed class JsonInput
{
    public const int MaxBytes = 1024 * 1024;
    private readonly JsonElement _root;
    private readonly Dictionary<string, List<string>> _errors = [];

    private JsonInput(JsonElement root) => _root = root;

    /// <summary>
    /// Reads the body as <typeparamref name="TBody"/>, the record the endpoint declares with <c>.Accepts&lt;TBody&gt;()</c>:
    /// its fields are the ones allowed, its non-nullable ones the ones required (<see cref="JsonBodyShape"/>).
    /// </summary>
    public static Task<JsonInput> ReadAsync<TBody>(HttpRequest request, CancellationToken ct) =>
        ReadAsync(request, JsonBodyShape.Of<TBody>(), ct);

    private static async Task<JsonInput> ReadAsync(HttpRequest request, JsonBodyShape shape, CancellationToken ct)
    {
        // The media type first: a body that does not say it is JSON is not read as JSON, with or without a body.
        if (!IsJson(request.ContentType))
            throw new BadHttpRequestException(
                request.ContentType is null
                    ? "The request has no Content-Type; send JSON with Content-Type: application/json."
                    : $"Content-Type '{request.ContentType}' is not supported; send JSON with Content-Type: application/json.",
                StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > MaxBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes) throw TooLarge();
        }
        if (buffer.Length == 0) throw new FieldValidationException("body", "A JSON object is required.");
        // The parser does not check the text of strings and names; reading a bad one later would throw (a 500).
        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
            throw new FieldValidationException("body", "The body is not valid UTF-8.");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new FieldValidationException("body", $"Malformed JSON: {e.Message}");
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new FieldValidationException("body", "The body must be a JSON object.");
        if (!IsValidUnicode(doc.RootElement))
            throw new FieldValidationException("body", "The body contains an invalid Unicode escape (a lone surrogate such as \\ud800).");
        var input = new JsonInput(doc.RootElement.Clone());
        var seen = new HashSet<string>();
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (!shape.Allowed.Contains(p.Name)) input.Error(p.Name, $"'{p.Name}' is not a known field. Known: {string.Join(", ", shape.Fields)}.");
            else if (!seen.Add(p.Name)) input.Error(p.Name, "The field is given twice.");
        }
        foreach (var name in shape.Fields.Where(shape.Required.Contains))
            if (!input._root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
                input.Error(name, RequiredMessage);
        return input;
    }

    private const string RequiredMessage = "This field is required.";

    /// <summary>application/json or application/merge-patch+json (PATCH), in UTF-8 (the only charset JSON allows on the wire).</summary>
    private static bool IsJson(string? contentType)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)) return false;
        var media = type.MediaType.Value;
        var json = string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
                   || string.Equals(media, "application/merge-patch+json", StringComparison.OrdinalIgnoreCase);
        return json && (type.Charset.Length == 0 || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsValidUnicode(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in element.EnumerateObject())
                    {
                        _ = p.Name; // throws on a lone surrogate in a name
                        if (!IsValidUnicode(p.Value)) return false;
                    }
                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                        if (!IsValidUnicode(item)) return false;
                    break;
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
            }
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool HasControlChars(string s) => s.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t');

    private static FieldValidationException TooLarge() => new("body", $"The body is larger than {MaxBytes / 1024} KiB.");

    public bool Has(string name) => _root.TryGetProperty(name, out _);

    public void Error(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        if (!list.Contains(message)) list.Add(message); // a required field is checked on reading and again by String(required: true)
    }

    /// <summary>Throws the collected errors, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new FieldValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    public string? String(string name, int maxLength = 8000, bool required = false)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, RequiredMessage);
            return null;
        }
        if (v.ValueKind != JsonValueKind.String) { Error(name, "Must be a string."); return null; }
        var s = v.GetString()!;
        if (s.Length > maxLength) { Error(name, $"At most {maxLength} characters."); return null; }
        if (HasControlChars(s)) { Error(name, "Contains control characters."); return null; }
        if (required && string.IsNullOrWhiteSpace(s)) Error(name, RequiredMessage);
        return s;
    }

    public int? Int(string name, int min, int max)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) && i >= min && i <= max) return i;
        Error(name, $"Must be a whole number from {min} to {max}.");
        return null;
    }

    public long? Long(string name, bool required = false)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, RequiredMessage);
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) && l > 0) return l;
        Error(name, "Must be an id (a positive whole number).");
        return null;
    }

    public bool? Bool(string name)
    {
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Error(name, "Must be true or false.");
        return null;
    }

    public Guid? Guid(string name)
    {
        var s = String(name, 64);
        if (s is null) return null;
        if (System.Guid.TryParse(s, CultureInfo.InvariantCulture, out var g)) return g;
        Error(name, "Must be an id (a GUID).");
        return null;
    }

    /// <summary>A point in time as ISO 8601 with its offset (2026-12-05T22:00:00Z or +01:00); a time without one is ambiguous.</summary>
    public DateTimeOffset? Time(string name)
    {
        var s = String(name, 64);
        if (s is null) return null;
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) && HasOffset(s) && t.Year is >= 2000 and <= 2100)
            return t.ToUniversalTime();
        Error(name, "Must be a time in ISO 8601 with its offset, e.g. 2026-12-05T22:00:00Z, between the years 2000 and 2100.");
        return null;
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && s[^6] is '+' or '-' && s[^3] == ':');

    /// <summary>An array of whole numbers (ids), at most <paramref name="max"/>.</summary>
    public IReadOnlyList<long> LongList(string name, int max, bool required = false)
    {
        var list = new List<long>();
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, RequiredMessage);
            return list;
        }
        if (v.ValueKind != JsonValueKind.Array) { Error(name, "Must be an array of ids."); return list; }
        foreach (var item in v.EnumerateArray())
            if (item.ValueKind == JsonValueKind.Number && item.TryGetInt64(out var id) && id > 0) list.Add(id);
            else { Error(name, "Every item must be an id (a positive whole number)."); return []; }
        if (list.Count > max) Error(name, $"At most {max} items.");
        return list;
    }

    /// <summary>An array of strings, at most <paramref name="max"/>, each at most <paramref name="maxLength"/> characters.</summary>
    public IReadOnlyList<string> StringList(string name, int max, int maxLength, bool required = false)
    {
        var list = new List<string>();
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Error(name, RequiredMessage);
            return list;
        }
        if (v.ValueKind != JsonValueKind.Array) { Error(name, "Must be an array of strings."); return list; }
        foreach (var item in v.EnumerateArray())
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { } text && text.Length <= maxLength && !HasControlChars(text)) list.Add(text);
            else { Error(name, $"Every item must be a string of at most {maxLength} characters."); return []; }
        if (list.Count > max) Error(name, $"At most {max} items.");
        return list;
    }

    public Optional<T> Optional<T>(string name, Func<T> read) => Has(name) ? new Optional<T>(true, read()) : default;

    /// <summary>A flat object of string (or null) values.</summary>
    public IReadOnlyDictionary<string, string?> StringMap(string name)
    {
        var map = new Dictionary<string, string?>();
        if (!_root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return map;
        if (v.ValueKind != JsonValueKind.Object) { Error(name, "Must be an object of strings."); return map; }
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null) map[p.Name] = null;
            else if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: <= 8000 } text)
            {
                if (HasControlChars(text)) Error($"{name}.{p.Name}", "Contains control characters.");
                else map[p.Name] = text;
            }
            else Error($"{name}.{p.Name}", "Must be a string of at most 8000 characters.");
        }
        return map;
    }
}
