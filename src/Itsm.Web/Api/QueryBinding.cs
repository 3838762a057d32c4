using System.Globalization;
using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;

namespace Itsm.Web.Api;

/// <summary>Binds query strings with clear errors (page=abc is a 400 that says so, not a silent default).</summary>
public static class QueryBinding
{
    private static readonly HashSet<string> ListKeys = ["queue", "state", "priority", "assignmentGroupId", "assignee", "requester", "text", "sort", "page", "pageSize"];

    /// <summary>A queue request of any module (<c>ListIncidents</c>, <c>ListProblems</c>) from the query string.</summary>
    public static T List<T>(IQueryCollection q) where T : ListTickets, new()
    {
        var errors = UnknownKeys(q, ListKeys);
        int Int(string key, int fallback) => WholeNumber(q, key, fallback, errors);
        var priorities = new List<int>();
        foreach (var p in Split(q["priority"]))
            if (int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) priorities.Add(v);
            else errors["priority"] = ["Must be 1, 2, 3 or 4 (comma-separated for several)."];
        Guid? group = null;
        if (q["assignmentGroupId"].ToString() is { Length: > 0 } g)
        {
            if (Guid.TryParse(g, out var id)) group = id;
            else errors["assignmentGroupId"] = ["Must be an id (a GUID)."];
        }
        var request = new T
        {
            Queue = Blank(q["queue"]),
            State = Split(q["state"]),
            Priority = priorities,
            AssignmentGroupId = group,
            Assignee = Blank(q["assignee"]),
            Requester = Blank(q["requester"]),
            Text = Blank(q["text"]),
            Sort = Blank(q["sort"]),
            Page = Int("page", 1),
            PageSize = Int("pageSize", 25),
        };
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return request;
    }

    private static readonly HashSet<string> KnownErrorKeys = ["text", "page", "pageSize"];

    public static ListKnownErrors ListKnownErrors(IQueryCollection q)
    {
        var errors = UnknownKeys(q, KnownErrorKeys);
        var request = new ListKnownErrors(Blank(q["text"]), WholeNumber(q, "page", 1, errors), WholeNumber(q, "pageSize", 25, errors));
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return request;
    }

    private static Dictionary<string, string[]> UnknownKeys(IQueryCollection q, HashSet<string> known) =>
        q.Keys.Where(k => !known.Contains(k))
            .ToDictionary(k => k, k => new[] { $"'{k}' is not a known filter. Known: {string.Join(", ", known)}." });

    private static int WholeNumber(IQueryCollection q, string key, int fallback, Dictionary<string, string[]> errors)
    {
        var s = q[key].ToString();
        if (s.Length == 0) return fallback;
        if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        errors[key] = ["Must be a whole number."];
        return fallback;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<string> Split(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
