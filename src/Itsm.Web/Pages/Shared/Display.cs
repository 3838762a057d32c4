using System.Globalization;
using System.Text;
using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Itsm.Web.Pages.Shared;

/// <summary>How values are written on the pages, the same everywhere.</summary>
public static class Display
{
    public static readonly IReadOnlyList<(int Value, string Label)> Levels = [(1, "1 High"), (2, "2 Medium"), (3, "3 Low")];

    public static string PriorityClass(Priority p) => "prio prio-" + (int)p;

    public static string StateClass(string state) => "state state-" + state;

    public static string Level(Impact i) => $"{(int)i} {i}";

    public static string Level(Urgency u) => $"{(int)u} {u}";

    /// <summary>UTC, to the minute, in one unambiguous format.</summary>
    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>The machine-readable value of a &lt;time&gt; element.</summary>
    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static string ChoiceLabel(IReadOnlyList<Choice> choices, string? id) =>
        id is null ? "" : choices.FirstOrDefault(c => c.Id == id)?.Label ?? id;

    public static string StateLabel(ProcessDefinition process, string id) =>
        process.States.FirstOrDefault(s => s.Id == id)?.Label ?? id;

    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.Ordinal)
    {
        ["number"] = "Number",
        ["requester"] = "Caller",
        ["state"] = "State",
        ["shortDescription"] = "Short description",
        ["description"] = "Description",
        ["category"] = "Category",
        ["impact"] = "Impact",
        ["urgency"] = "Urgency",
        ["priority"] = "Priority",
        ["priorityOverrideReason"] = "Priority override reason",
        ["assignmentGroup"] = "Assignment group",
        ["assignee"] = "Assigned to",
        ["reassignmentCount"] = "Reassignments",
        ["reopenCount"] = "Times reopened",
        ["holdReason"] = "On-hold reason",
        ["resolutionCode"] = "Resolution code",
        ["resolutionNotes"] = "Resolution notes",
        ["resolvedAt"] = "Resolved",
        ["closedAt"] = "Closed",
        ["cancelReason"] = "Cancel reason",
        ["reopenReason"] = "Reason for reopening",
        ["parentIncident"] = "Parent incident",
        ["affectedCis"] = "Affected CIs",
        ["causedByChange"] = "Caused by change",
    };

    /// <summary>"resolutionCode" → "Resolution code"; unknown camelCase names are split into words.</summary>
    public static string FieldLabel(string field)
    {
        if (FieldLabels.TryGetValue(field, out var label)) return label;
        var sb = new StringBuilder();
        foreach (var c in field)
        {
            if (char.IsUpper(c) && sb.Length > 0) sb.Append(' ').Append(char.ToLowerInvariant(c));
            else sb.Append(sb.Length == 0 ? char.ToUpperInvariant(c) : c);
        }
        return sb.ToString();
    }

    /// <summary>A history value as a person reads it: hold reasons and resolution codes by their label, times as the page shows them.</summary>
    public static string? HistoryValue(ProcessDefinition process, string field, string? value) => field switch
    {
        _ when value is null => null,
        "holdReason" => ChoiceLabel(process.HoldReasons, value),
        "resolutionCode" => ChoiceLabel(process.ResolutionCodes, value),
        _ when IsTimeField(field) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => When(at),
        _ => value,
    };

    private static bool IsTimeField(string field) => field.EndsWith("At", StringComparison.Ordinal) || field.StartsWith("planned", StringComparison.Ordinal);

    /// <summary>The error messages ModelState holds for one key (for inputs the tag helpers cannot name).</summary>
    public static IReadOnlyList<string> ErrorsFor(ModelStateDictionary modelState, string key) =>
        modelState.TryGetValue(key, out var entry) ? entry.Errors.Select(e => e.ErrorMessage).ToList() : [];

    /// <summary>"Showing 1–25 of 118".</summary>
    public static string Showing<T>(Page<T> page)
    {
        if (page.Total == 0) return "No tickets";
        var first = (page.PageNumber - 1) * page.PageSize + 1;
        var last = Math.Min(page.Total, first + page.Items.Count - 1);
        if (page.Items.Count == 0) return $"Showing none of {page.Total}";
        return $"Showing {first}–{last} of {page.Total}";
    }
}
