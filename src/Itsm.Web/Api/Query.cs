using System.Globalization;
using Itsm.Domain.Common;

namespace Itsm.Web.Api;

/// <summary>
/// Strict query-string binding for an endpoint: only the named keys are allowed, each bad value is a field error, and
/// <see cref="ThrowIfInvalid"/> turns them into one 400 (never a silent default).
/// </summary>
public sealed class Query
{
    private readonly IQueryCollection _q;
    private readonly Dictionary<string, string[]> _errors = [];

    private Query(IQueryCollection q, string[] known)
    {
        _q = q;
        foreach (var k in q.Keys.Where(k => !known.Contains(k)))
            _errors[k] = [known.Length == 0 ? $"'{k}' is not a known parameter: this endpoint takes none." : $"'{k}' is not a known parameter. Known: {string.Join(", ", known)}."];
        foreach (var k in q.Keys.Where(k => known.Contains(k) && q[k].Count > 1))
            _errors[k] = ["The parameter is given twice."];
    }

    public static Query Of(HttpRequest req, params string[] known) => new(req.Query, known);

    public string? Text(string key, int maxLength = 1000)
    {
        var s = _q[key].ToString();
        if (string.IsNullOrWhiteSpace(s)) return null;
        if (s.Length > maxLength) return Fail<string?>(key, $"At most {maxLength} characters.", null);
        return s.Trim();
    }

    public int Int(string key, int fallback)
    {
        var s = _q[key].ToString();
        if (s.Length == 0) return fallback;
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : Fail(key, "Must be a whole number.", fallback);
    }

    public long? Long(string key)
    {
        var s = _q[key].ToString();
        if (s.Length == 0) return null;
        return long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : Fail<long?>(key, "Must be an id (a positive whole number).", null);
    }

    public bool? Bool(string key) => _q[key].ToString() switch
    {
        "" => null,
        "true" => true,
        "false" => false,
        _ => Fail<bool?>(key, "Must be true or false.", null),
    };

    public DateTimeOffset? Time(string key)
    {
        var s = _q[key].ToString();
        if (s.Length == 0) return null;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : Fail<DateTimeOffset?>(key, "Must be a time, e.g. 2026-11-01T00:00:00Z.", null);
    }

    /// <summary>A comma-separated list, or null when absent.</summary>
    public IReadOnlyList<string>? List(string key)
    {
        var s = _q[key].ToString();
        if (s.Length == 0) return null;
        if (s.Length > 4000) return Fail<IReadOnlyList<string>?>(key, "Too long.", null);
        return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public T Fail<T>(string key, string message, T fallback)
    {
        _errors[key] = [message];
        return fallback;
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new FieldValidationException(_errors);
    }
}
