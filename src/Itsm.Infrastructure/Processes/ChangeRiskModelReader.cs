using System.Globalization;
using System.Text.RegularExpressions;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Processes;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Reads <c>itil-processes/change-risk.yaml</c> (format: itil-processes/README.md): the level thresholds, the rules with
/// their weights, and the questionnaire. Every fault is reported with its file and line, all in one pass.
/// </summary>
public static partial class ChangeRiskModelReader
{
    private static readonly string[] TopKeys = ["levels", "rules", "questions"];
    private static readonly string[] LevelKeys = ["moderate", "high", "very-high"];
    private static readonly string[] QuestionKeys = ["id", "text", "answers"];
    private static readonly string[] AnswerKeys = ["id", "label", "raises-to"];
    private static readonly string[] ThresholdKeys = ["at-least", "points"];

    /// <summary>The keys each rule kind takes besides <c>kind</c>, those it requires, and how it is built.</summary>
    private sealed record KindReader(string[] Keys, string[] Required, Func<YamlNodeReader, Dictionary<string, YamlNode>, RiskRule?> Build);

    private static readonly Dictionary<string, KindReader> Kinds = BuildKinds();

    private static Dictionary<string, KindReader> BuildKinds()
    {
        var kinds = new Dictionary<string, KindReader>(StringComparer.Ordinal)
        {
            [RiskRuleKinds.ImpactedServices] = new(["points-by-criticality", "max"], ["points-by-criticality"],
                (r, f) => (ByCriticality(r, f), Number(r, f, "max")) is ({ } points, var max) ? new ImpactedServicesRule(points, max) : null),
            [RiskRuleKinds.BlastRadius] = new(["thresholds"], ["thresholds"],
                (r, f) => Thresholds(r, f) is { } steps ? new BlastRadiusRule(steps) : null),
            [RiskRuleKinds.HighestCiCriticality] = new(["points-by-criticality"], ["points-by-criticality"],
                (r, f) => ByCriticality(r, f) is { } points ? new HighestCiCriticalityRule(points) : null),
            [RiskRuleKinds.ChangeType] = new(["points-by-type"], ["points-by-type"],
                (r, f) => ByType(r, f, "points-by-type", "points") is { } points ? new ChangeTypeRule(points) : null),
            [RiskRuleKinds.LeadTime] = new(["hours-by-type", "points"], ["hours-by-type", "points"],
                (r, f) => (ByType(r, f, "hours-by-type", "hours"), Number(r, f, "points")) is ({ } hours, { } points)
                    ? new LeadTimeRule(hours, points) : null),
        };
        foreach (var kind in PerItemRule.Kinds)
            kinds[kind] = new(["points", "max"], ["points"],
                (r, f) => (Number(r, f, "points"), Number(r, f, "max")) is ({ } points, var max) ? new PerItemRule(kind, points, max) : null);
        return kinds;
    }

    private static string KnownKinds => string.Join(", ", RiskRuleKinds.All);

    /// <summary>Adds the file's faults to <paramref name="errors"/>, in line order; returns the model only when there are none.</summary>
    public static RiskModel? Read(string fileName, string yaml, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(fileName);
        var model = Read(r, yaml);
        errors.AddRange(r.Errors.OrderBy(e => e.Location.Line));
        return r.Errors.Count == 0 ? model : null;
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/>, naming it in errors by its folder and name
    /// (<c>itil-processes/change-risk.yaml</c>); throws <see cref="ProcessDefinitionException"/> listing every fault.
    /// </summary>
    public static RiskModel Load(string path)
    {
        var full = Path.GetFullPath(path);
        var display = Path.GetFileName(Path.GetDirectoryName(full)) + "/" + Path.GetFileName(full);
        if (!File.Exists(full))
            throw new ProcessDefinitionException([new DefinitionError(new SourceLocation(display, 1),
                "the change risk file is missing; change management computes every change's risk from it.")]);
        var errors = new List<DefinitionError>();
        var model = Read(display, File.ReadAllText(full), errors);
        if (model is null) throw new ProcessDefinitionException(errors);
        return model;
    }

    private static RiskModel? Read(YamlNodeReader r, string yaml)
    {
        var root = r.LoadRoot(yaml);
        if (root is null) return null;
        var top = r.Fields(root, "the change risk model", TopKeys, ["levels", "rules"]);
        var levelsKey = (root as YamlMappingNode)?.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "levels" });
        var levels = levelsKey is not null && top.TryGetValue("levels", out var levelsNode) ? Levels(r, levelsKey, levelsNode) : null;
        var rules = Rules(r, top);
        var questions = Questions(r, top);
        return levels is null || r.Errors.Count > 0 ? null : new RiskModel(levels, rules, questions);
    }

    private static RiskLevelThresholds? Levels(YamlNodeReader r, YamlNode key, YamlNode node)
    {
        var fields = r.Fields(node, "'levels'", LevelKeys, []);
        // At the 'levels' key: the mapping's own first line is one of the other levels.
        foreach (var missing in LevelKeys.Where(k => !fields.ContainsKey(k)))
            if (node is YamlMappingNode) r.Error(key, $"'levels' has no '{missing}'; it is required.");
        var moderate = Number(r, fields, "moderate");
        var high = Number(r, fields, "high");
        var veryHigh = Number(r, fields, "very-high");
        if (moderate == 0)
            r.Error(fields["moderate"], "'moderate' must be 1 or more: Low is every score below it.");
        if (moderate is { } m && high is { } h && h <= m)
            r.Error(fields["high"], $"'high' ({h}) must be greater than 'moderate' ({m}): each level starts at a higher score than the one below.");
        if (high is { } h2 && veryHigh is { } v && v <= h2)
            r.Error(fields["very-high"], $"'very-high' ({v}) must be greater than 'high' ({h2}): each level starts at a higher score than the one below.");
        if (moderate is not { } mm || high is not { } hh || veryHigh is not { } vv || mm < 1 || hh <= mm || vv <= hh) return null;
        return new RiskLevelThresholds(mm, hh, vv);
    }

    private static List<RiskRule> Rules(YamlNodeReader r, Dictionary<string, YamlNode> top)
    {
        var rules = new List<RiskRule>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in r.Items(top, "rules"))
        {
            var kindNode = item.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "kind" }).Value;
            if (kindNode is null)
            {
                r.Error(item, $"a rule has no 'kind'; it is required. Known kinds: {KnownKinds}.");
                continue;
            }
            var kind = (kindNode as YamlScalarNode)?.Value?.Trim() ?? "";
            if (!Kinds.TryGetValue(kind, out var reader))
            {
                r.Error(kindNode, kindNode is YamlScalarNode
                    ? $"unknown rule kind '{kind}'. Known kinds: {KnownKinds}."
                    : $"a rule's 'kind' must be a single value, not {YamlNodeReader.Describe(kindNode)}. Known kinds: {KnownKinds}.");
                continue;
            }
            // The same kind twice would count the same fact twice.
            if (seen.TryGetValue(kind, out var firstLine))
                r.Error(kindNode, $"rule kind '{kind}' is already given at line {firstLine}; give each kind once.");
            else
                seen[kind] = r.At(kindNode).Line;

            var fields = r.Fields(item, $"the '{kind}' rule", ["kind", .. reader.Keys], ["kind", .. reader.Required]);
            var before = r.Errors.Count;
            var rule = reader.Build(r, fields);
            if (rule is not null && r.Errors.Count == before) rules.Add(rule);
        }
        return rules;
    }

    private static List<RiskQuestion> Questions(YamlNodeReader r, Dictionary<string, YamlNode> top)
    {
        var questions = new List<RiskQuestion>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in r.Items(top, "questions"))
        {
            var fields = r.Fields(item, "a question", QuestionKeys, QuestionKeys);
            var id = Id(r, fields, "question id");
            var text = r.Text(fields, "text");
            if (id is not null && !seen.TryAdd(id, r.At(fields["id"]).Line))
                r.Error(fields["id"], $"question '{id}' is already defined at line {seen[id]}.");

            var answers = new List<RiskAnswer>();
            var answerLines = new Dictionary<string, int>(StringComparer.Ordinal);
            var answerItems = r.Items(fields, "answers");
            if (fields.TryGetValue("answers", out var answersNode) && IsEmptyList(answersNode))
                r.Error(answersNode, $"question '{id}' has no answers; list at least one.");
            foreach (var answerItem in answerItems)
            {
                var a = r.Fields(answerItem, "an answer", AnswerKeys, ["id", "label"]);
                var answerId = Id(r, a, "answer id");
                var label = r.Text(a, "label");
                if (answerId is not null && !answerLines.TryAdd(answerId, r.At(a["id"]).Line))
                    r.Error(a["id"], $"answer '{answerId}' of question '{id}' is already defined at line {answerLines[answerId]}.");
                RiskLevel? raisesTo = null;
                if (r.Text(a, "raises-to") is { } levelId)
                {
                    raisesTo = RiskLevelText.Parse(levelId);
                    if (raisesTo is null)
                        r.Error(a["raises-to"], $"unknown level '{levelId}' in 'raises-to'; levels are {string.Join(", ", Enum.GetValues<RiskLevel>().Select(l => l.Id()))}.");
                }
                if (answerId is not null && label is not null) answers.Add(new RiskAnswer(answerId, label, raisesTo));
            }
            if (id is not null && text is not null) questions.Add(new RiskQuestion(id, text, answers));
        }
        return questions;
    }

    /// <summary>A kebab-case id, as question and answer ids travel in the API as keys and values.</summary>
    private static string? Id(YamlNodeReader r, Dictionary<string, YamlNode> fields, string what)
    {
        var id = r.Text(fields, "id");
        if (id is not null && !Kebab().IsMatch(id))
            r.Error(fields["id"], $"{what} '{id}' must be kebab-case (lower-case letters, digits and dashes).");
        return id;
    }

    /// <summary><c>{ 1: 25, 2: 10 }</c>: points by criticality 1–4; a criticality left out gives none.</summary>
    private static Dictionary<int, int>? ByCriticality(YamlNodeReader r, Dictionary<string, YamlNode> fields)
    {
        const string key = "points-by-criticality";
        if (Map(r, fields, key, "criticality (1 to 4)", "{ 1: 25, 2: 10, 3: 4, 4: 1 }") is not { } map) return null;
        var points = new Dictionary<int, int>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var text = (keyNode as YamlScalarNode)?.Value;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var criticality) || criticality is < 1 or > 4)
                r.Error(keyNode, $"unknown criticality '{text}' in '{key}'; criticalities are 1 (most critical) to 4 (least).");
            else if (Number(r, valueNode, $"points for criticality {criticality}") is { } p)
                points[criticality] = p;
        }
        return points;
    }

    /// <summary><c>{ normal: 5, emergency: 20 }</c>: a value by change type; a type left out gets none.</summary>
    private static Dictionary<ChangeType, int>? ByType(YamlNodeReader r, Dictionary<string, YamlNode> fields, string key, string unit)
    {
        if (Map(r, fields, key, "change type", "{ standard: 0, normal: 5, emergency: 20 }") is not { } map) return null;
        var values = new Dictionary<ChangeType, int>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var text = (keyNode as YamlScalarNode)?.Value;
            var type = Enum.GetValues<ChangeType>().Where(t => t.ToString().ToLowerInvariant() == text).Select(t => (ChangeType?)t).FirstOrDefault();
            if (type is null)
                r.Error(keyNode, $"unknown change type '{text}' in '{key}'; types are {string.Join(", ", Enum.GetValues<ChangeType>().Select(t => t.ToString().ToLowerInvariant()))}.");
            else if (Number(r, valueNode, $"{unit} for {text} changes") is { } v)
                values[type.Value] = v;
        }
        return values;
    }

    private static YamlMappingNode? Map(YamlNodeReader r, Dictionary<string, YamlNode> fields, string key, string keyedBy, string example)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        if (node is YamlMappingNode map) return map;
        r.Error(node, $"'{key}' must map each {keyedBy} to a number, such as {example}, not {YamlNodeReader.Describe(node)}.");
        return null;
    }

    /// <summary>The blast-radius steps: <c>at-least</c> strictly increasing, so that the highest one reached is clear.</summary>
    private static List<RiskThreshold>? Thresholds(YamlNodeReader r, Dictionary<string, YamlNode> fields)
    {
        var steps = new List<RiskThreshold>();
        var items = r.Items(fields, "thresholds");
        if (fields.TryGetValue("thresholds", out var node) && IsEmptyList(node))
            r.Error(node, "'thresholds' lists no threshold; give at least one such as { at-least: 20, points: 3 }.");
        foreach (var item in items)
        {
            var step = r.Fields(item, "a threshold", ThresholdKeys, ThresholdKeys);
            var atLeast = Number(r, step, "at-least");
            var points = Number(r, step, "points");
            if (atLeast is not { } a || points is not { } p) continue;
            if (steps.Count > 0 && a <= steps[^1].AtLeast)
                r.Error(step["at-least"], $"'at-least' ({a}) must be greater than the previous threshold's ({steps[^1].AtLeast}): list thresholds from the smallest up.");
            else
                steps.Add(new RiskThreshold(a, p));
        }
        return steps;
    }

    /// <summary>An optional whole number of 0 or more (points, hours, a cap, a threshold); null when absent or wrong.</summary>
    private static int? Number(YamlNodeReader r, Dictionary<string, YamlNode> fields, string key) =>
        fields.TryGetValue(key, out var node) ? Number(r, node, $"'{key}'") : null;

    private static int? Number(YamlNodeReader r, YamlNode node, string what)
    {
        var text = (node as YamlScalarNode)?.Value?.Trim();
        if (node is not YamlScalarNode || string.IsNullOrEmpty(text))
        {
            r.Error(node, $"{what} must be a whole number, 0 or more, not {(node is YamlScalarNode ? "nothing" : YamlNodeReader.Describe(node))}.");
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            r.Error(node, $"{what} must be a whole number, 0 or more, not '{text}'.");
            return null;
        }
        if (value < 0)
        {
            r.Error(node, $"{what} must be 0 or more, not {value}.");
            return null;
        }
        return value;
    }

    // `key:` with nothing after it, or `key: []`; Items reports other shapes itself.
    private static bool IsEmptyList(YamlNode node) => node is YamlSequenceNode { Children.Count: 0 } or YamlScalarNode { Value: null or "" };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Kebab();
}
