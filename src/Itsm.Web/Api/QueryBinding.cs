using System.Globalization;
using Itsm.Application.Features.Incidents;
using Itsm.Domain.Common;

namespace Itsm.Web.Api;

/// <summary>Binds query strings with clear errors (page=abc is a 400 that says so, not a silent default).</summary>
public static class QueryBinding
{
    private static readonly HashSet<string> ListKeys = ["queue", "state", "priority", "assignmentGroupId", "assignee", "requester", "text", "sort", "page", "pageSize"];

    public static ListIncidents ListIncidents(IQueryCollection q)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var key in q.Keys.Where(k => !ListKeys.Contains(k)))
            errors[key] = [$"'{key}' is not a known filter. Known: {string.Join(", ", ListKeys)}."];
        int Int(string key, int fallback)
        {
            var s = q[key].ToString();
            if (s.Length == 0) return fallback;
            if (int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
            errors[key] = ["Must be a whole number."];
            return fallback;
        }
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
        var request = new ListIncidents
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

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static List<string> Split(Microsoft.Extensions.Primitives.StringValues values) =>
        values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
}
