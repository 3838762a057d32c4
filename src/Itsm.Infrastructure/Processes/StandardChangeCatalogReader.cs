using System.Globalization;
using System.Text.RegularExpressions;
using Itsm.Domain.Changes;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Processes;

namespace Itsm.Infrastructure.Processes;

/// <summary>Reads <c>seed-data/reference/standard-changes.yaml</c>, the catalog of pre-approved changes, with located errors.</summary>
public static partial class StandardChangeCatalogReader
{
    public const string FileName = "standard-changes.yaml";

    private static readonly string[] TemplateKeys = ["code", "name", "description", "implementation-plan", "backout-plan", "test-plan", "duration", "classes"];

    /// <summary>Reads the catalog in the reference folder; throws <see cref="ProcessDefinitionException"/> listing every fault.</summary>
    public static StandardChangeCatalog Load(string referenceDirectory, CmdbModel model)
    {
        var path = Path.Combine(referenceDirectory, FileName);
        if (!File.Exists(path)) return new StandardChangeCatalog([]);
        var errors = new List<DefinitionError>();
        var catalog = Read("seed-data/reference/" + FileName, File.ReadAllText(path), model, errors);
        if (errors.Count > 0) throw new ProcessDefinitionException(errors);
        return catalog!;
    }

    public static StandardChangeCatalog? Read(string file, string yaml, CmdbModel model, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(file);
        var templates = new List<StandardChangeTemplate>();
        var root = r.LoadRoot(yaml);
        if (root is not null)
        {
            var top = r.Fields(root, "the standard-change catalog", ["templates"], ["templates"]);
            var codes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in r.Items(top, "templates"))
            {
                var f = r.Fields(item, "a template", TemplateKeys, ["code", "name", "implementation-plan", "backout-plan", "test-plan", "duration", "classes"]);
                var code = r.Text(f, "code");
                if (code is not null && !KebabCase().IsMatch(code)) r.Error(f["code"], $"template code '{code}' must be kebab-case, e.g. os-patch-linux.");
                else if (code is not null && !codes.Add(code)) r.Error(f["code"], $"template '{code}' is defined twice.");
                var duration = Duration(r, f);
                var classes = r.TextList(f, "classes");
                if (f.ContainsKey("classes") && classes.Count == 0) r.Error(f["classes"], "a template names at least one CI class it may touch.");
                foreach (var c in classes.Where(c => model.FindClass(c) is null))
                    r.Error(f["classes"], $"unknown CI class '{c}'. Known classes: {string.Join(", ", model.Classes.Select(k => k.Code))}.");
                var (name, impl, backout, test) = (r.Text(f, "name"), r.Text(f, "implementation-plan"), r.Text(f, "backout-plan"), r.Text(f, "test-plan"));
                if (code is null || name is null || impl is null || backout is null || test is null || duration is null) continue;
                templates.Add(new StandardChangeTemplate(code, name, r.Text(f, "description") ?? name, impl, backout, test, duration.Value, classes));
            }
        }
        errors.AddRange(r.Errors);
        return r.Errors.Count == 0 ? new StandardChangeCatalog(templates) : null;
    }

    /// <summary>A duration such as 30m, 2h or 1h30m, positive and at most a day.</summary>
    private static TimeSpan? Duration(YamlNodeReader r, Dictionary<string, YamlDotNet.RepresentationModel.YamlNode> f)
    {
        var text = r.Text(f, "duration");
        if (text is null) return null;
        var m = DurationPattern().Match(text);
        if (m.Success)
        {
            var span = TimeSpan.FromHours(m.Groups[1].Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
                       + TimeSpan.FromMinutes(m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0);
            if (span > TimeSpan.Zero && span <= TimeSpan.FromDays(1)) return span;
        }
        r.Error(f["duration"], $"'duration' must be a positive time of at most a day such as 30m, 2h or 1h30m, not '{text}'.");
        return null;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KebabCase();

    [GeneratedRegex("^(?:([0-9]{1,2})h)?(?:([0-9]{1,4})m)?$")]
    private static partial Regex DurationPattern();
}
