using System.Globalization;
using System.Text.RegularExpressions;
using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Processes;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Reads <c>seed-data/reference/change-windows.yaml</c>: the maintenance windows (an RRULE, a local start, a duration
/// and a time zone, for CI classes and names) and the blackouts (absolute, global or for services or CIs). Every fault is
/// reported as <c>file:line: message</c> in one pass. Names and class codes are kept as written; the application checks
/// them against the CMDB and resolves the blackouts' names (<see cref="ChangeWindows.Resolve"/>).
/// </summary>
public static partial class ChangeWindowsReader
{
    public const string FileName = "change-windows.yaml";

    private static readonly string[] TopKeys = ["maintenance-windows", "blackouts"];
    private static readonly string[] MaintenanceKeys = ["id", "label", "recurrence", "start", "duration", "time-zone", "since", "classes", "cis"];
    private static readonly string[] MaintenanceRequired = ["id", "label", "recurrence", "start", "duration", "time-zone"];
    private static readonly string[] BlackoutKeys = ["id", "label", "start", "end", "global", "services", "cis"];
    private static readonly string[] BlackoutRequired = ["id", "label", "start", "end"];

    /// <summary>Loads the file; throws <see cref="ProcessDefinitionException"/> listing every fault. Errors name it as <c>reference/change-windows.yaml</c>.</summary>
    public static ChangeWindows Load(string path)
    {
        var full = Path.GetFullPath(path);
        var display = Path.GetFileName(Path.GetDirectoryName(full)) + "/" + Path.GetFileName(full);
        if (!File.Exists(full))
            throw new ProcessDefinitionException([new DefinitionError(new SourceLocation(display, 1), $"the change windows file '{full}' does not exist.")]);
        return Parse(display, File.ReadAllText(full));
    }

    /// <summary>Parses the text; throws <see cref="ProcessDefinitionException"/> listing every fault.</summary>
    public static ChangeWindows Parse(string fileName, string yaml)
    {
        var errors = new List<DefinitionError>();
        var windows = Read(fileName, yaml, errors);
        if (errors.Count > 0 || windows is null) throw new ProcessDefinitionException(errors);
        return windows;
    }

    /// <summary>Adds the file's faults to <paramref name="errors"/>; returns the windows only when there are none.</summary>
    public static ChangeWindows? Read(string fileName, string yaml, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(fileName);
        var windows = Read(r, yaml);
        errors.AddRange(r.Errors);
        return r.Errors.Count == 0 ? windows : null;
    }

    private static ChangeWindows? Read(YamlNodeReader r, string yaml)
    {
        var root = r.LoadRoot(yaml);
        if (root is null) return null;
        var top = r.Fields(root, "the change windows file", TopKeys, []);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new Owners();

        var maintenance = new List<MaintenanceWindow>();
        foreach (var entry in r.Items(top, "maintenance-windows"))
            if (ReadMaintenance(r, entry, ids, owners) is { } w) maintenance.Add(w);
        var blackouts = new List<BlackoutWindow>();
        foreach (var entry in r.Items(top, "blackouts"))
            if (ReadBlackout(r, entry, ids) is { } b) blackouts.Add(b);

        return r.Errors.Count == 0 ? new ChangeWindows(maintenance, blackouts) : null;
    }

    private static MaintenanceWindow? ReadMaintenance(YamlNodeReader r, YamlMappingNode entry, Dictionary<string, int> ids, Owners owners)
    {
        var f = r.Fields(entry, "a maintenance window", MaintenanceKeys, MaintenanceRequired);
        var before = r.Errors.Count;
        var id = Id(r, f, ids);
        var label = r.Text(f, "label");

        DateOnly? since = null;
        if (r.Text(f, "since") is { } sinceText)
        {
            if (DateOnly.TryParseExact(sinceText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) since = d;
            else r.Error(f["since"], $"'since' must be a date such as 2026-01-03, not '{sinceText}'.");
        }
        var recurrence = r.Text(f, "recurrence");
        // A bad 'since' is reported on its own; the rule is then judged as if it were given, to say one thing at a time.
        if (recurrence is not null && MaintenanceWindow.RecurrenceFault(recurrence, f.ContainsKey("since")) is { } ruleFault)
            r.Error(f["recurrence"], ruleFault);

        TimeOnly? start = null;
        if (r.Text(f, "start") is { } startText)
        {
            if (TimeOnly.TryParseExact(startText, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)) start = t;
            else r.Error(f["start"], $"'start' must be a local time of day such as \"22:00\", not '{startText}'.");
        }
        TimeSpan? duration = null;
        if (r.Text(f, "duration") is { } durationText)
        {
            if (ParseDuration(durationText) is not { } d)
                r.Error(f["duration"], $"'duration' must be a length such as 6h, 90m, 1h30m or 1d, not '{durationText}'.");
            else if (MaintenanceWindow.DurationFault(d) is { } fault)
                r.Error(f["duration"], $"'duration' is {durationText}; {fault}");
            else duration = d;
        }
        var zone = r.Text(f, "time-zone");
        if (zone is not null && MaintenanceWindow.TimeZoneFault(zone) is { } zoneFault)
            r.Error(f["time-zone"], zoneFault);

        var beforeNames = r.Errors.Count;
        var classes = Names(r, f, "classes", id, owners.Classes, "class");
        var cis = Names(r, f, "cis", id, owners.Cis, "CI");
        // Said only when nothing was listed at all, not when the names listed were faulty.
        if (classes.Count == 0 && cis.Count == 0 && r.Errors.Count == beforeNames)
            r.Error(entry, $"the maintenance window '{id}' applies to no CI; list 'classes', 'cis' or both.");

        if (r.Errors.Count > before || id is null || label is null || recurrence is null || start is null || duration is null || zone is null)
            return null;
        return new MaintenanceWindow(id, label, recurrence, start.Value, duration.Value, zone, classes, cis, since);
    }

    private static BlackoutWindow? ReadBlackout(YamlNodeReader r, YamlMappingNode entry, Dictionary<string, int> ids)
    {
        var f = r.Fields(entry, "a blackout", BlackoutKeys, BlackoutRequired);
        var before = r.Errors.Count;
        var id = Id(r, f, ids);
        var label = r.Text(f, "label");
        var start = Instant(r, f, "start");
        var end = Instant(r, f, "end");
        if (start is not null && end is not null && end <= start)
            r.Error(f["end"], $"'end' ({r.Text(f, "end")}) is not after 'start' ({r.Text(f, "start")}); a blackout must end after it starts.");

        var global = r.Bool(f, "global");
        if (global == false)
            r.Error(f["global"], "'global' is either true or left out; a blackout for services or CIs lists them instead.");
        var services = r.TextList(f, "services");
        var cis = r.TextList(f, "cis");
        var given = new[] { global == true, f.ContainsKey("services"), f.ContainsKey("cis") }.Count(g => g);
        BlackoutScope scope = BlackoutScope.Global;
        IReadOnlyList<string> names = [];
        if (given > 1)
            r.Error(entry, $"the blackout '{id}' gives more than one of 'global', 'services' and 'cis'; give exactly one.");
        else if (given == 0 && !f.ContainsKey("global"))
            r.Error(entry, $"the blackout '{id}' freezes nothing; give 'global: true', 'services: [...]' or 'cis: [...]'.");
        else if (f.ContainsKey("services"))
            (scope, names) = (BlackoutScope.Services, services);
        else if (f.ContainsKey("cis"))
            (scope, names) = (BlackoutScope.Cis, cis);
        if (scope != BlackoutScope.Global && names.Count == 0 && r.Errors.Count == before)
            r.Error(f[scope == BlackoutScope.Services ? "services" : "cis"], $"the blackout '{id}' lists no {(scope == BlackoutScope.Services ? "services" : "CIs")}.");

        if (r.Errors.Count > before || id is null || label is null || start is null || end is null) return null;
        return new BlackoutWindow(id, label, start.Value, end.Value, scope, names.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
    }

    private static string? Id(YamlNodeReader r, Dictionary<string, YamlNode> f, Dictionary<string, int> ids)
    {
        var id = r.Text(f, "id");
        if (id is null) return null;
        var line = r.At(f["id"]).Line;
        if (!KebabCase().IsMatch(id))
            r.Error(f["id"], $"the id '{id}' must be kebab-case: lower-case letters and digits joined by '-'.");
        else if (!ids.TryAdd(id, line))
            r.Error(f["id"], $"the window id '{id}' is already used at line {ids[id]}; ids are unique across maintenance windows and blackouts.");
        return id;
    }

    // Class codes and CI names: each belongs to one maintenance window only, so a CI's window is never ambiguous.
    private static IReadOnlyList<string> Names(YamlNodeReader r, Dictionary<string, YamlNode> f, string key, string? id,
        Dictionary<string, (string Window, int Line)> owners, string what)
    {
        var names = new List<string>();
        // TextList reports a value that is not a list, and items that are not single values.
        if (r.TextList(f, key).Count == 0) return names;
        foreach (var node in ((YamlSequenceNode)f[key]).Children.OfType<YamlScalarNode>())
        {
            if (string.IsNullOrWhiteSpace(node.Value)) continue;
            var name = node.Value.Trim();
            if (owners.TryGetValue(name, out var owner))
            {
                var where = owner.Window == id ? "already listed" : $"already in the maintenance window '{owner.Window}'";
                r.Error(node, $"the {what} '{name}' is {where} (line {owner.Line}); a {what} has one maintenance window.");
                continue;
            }
            owners[name] = (id ?? "?", r.At(node).Line);
            names.Add(name);
        }
        return names;
    }

    private static DateTimeOffset? Instant(YamlNodeReader r, Dictionary<string, YamlNode> f, string key)
    {
        var text = r.Text(f, key);
        if (text is null) return null;
        if (WithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        r.Error(f[key], $"'{key}' must be a date and time with its offset, such as 2026-12-20T00:00+01:00 or 2026-12-20T00:00Z, not '{text}'.");
        return null;
    }

    private static TimeSpan? ParseDuration(string text)
    {
        var m = DurationPattern().Match(text);
        if (!m.Success || text.Length == 0) return null;
        long Part(int g) => m.Groups[g].Success ? long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        try
        {
            return TimeSpan.FromDays(Part(1)) + TimeSpan.FromHours(Part(2)) + TimeSpan.FromMinutes(Part(3));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private sealed class Owners
    {
        public Dictionary<string, (string Window, int Line)> Classes { get; } = new(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, (string Window, int Line)> Cis { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex(@"^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();
}
