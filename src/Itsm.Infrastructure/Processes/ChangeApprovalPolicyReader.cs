using System.Globalization;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Processes;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Reads <c>change-approvals.yaml</c> (format: itil-processes/README.md) into an <see cref="ApprovalPolicy"/>,
/// reporting every fault of the file with its line in one pass.
/// </summary>
public static class ChangeApprovalPolicyReader
{
    private static readonly string[] TopKeys = ["mode", "cab-group", "emergency-cab-group", "fallback-group", "decisions", "definitions"];
    private static readonly string[] DecisionKeys = ["name", "when", "approval"];
    private static readonly string[] DefinitionKeys = ["id", "stages"];
    private static readonly string[] StageKeys = ["name", "sets"];
    private static readonly string[] SetKeys = ["approvers", "rule", "as"];
    private static readonly string[] Conditions = ["type", "risk-at-least", "risk-at-most", "service-criticality-at-most", "ci-class"];
    private const string Sources = "ci-owners, service-owners, cab, ecab, group:<name> or person:<username>";

    private static readonly Dictionary<string, ApprovalPolicyMode> Modes = new(StringComparer.Ordinal)
    {
        ["first-match"] = ApprovalPolicyMode.FirstMatch,
        ["all-matches"] = ApprovalPolicyMode.AllMatches,
    };

    private static readonly Dictionary<string, ChangeType> Types =
        Enum.GetValues<ChangeType>().ToDictionary(t => t.ToString().ToLowerInvariant(), StringComparer.Ordinal);

    /// <summary>Loads the policy file; throws <see cref="ProcessDefinitionException"/> listing every fault.</summary>
    public static ApprovalPolicy Load(string path)
    {
        var full = Path.GetFullPath(path);
        // Errors name the file as "itil-processes/change-approvals.yaml": short, yet says where to look.
        var display = Path.GetFileName(Path.GetDirectoryName(full)) + "/" + Path.GetFileName(full);
        var errors = new List<DefinitionError>();
        if (!File.Exists(full))
        {
            errors.Add(new DefinitionError(new SourceLocation(display, 1), "the change approval policy file is missing; change management needs it."));
            throw new ProcessDefinitionException(errors);
        }
        var policy = Read(display, File.ReadAllText(full), errors);
        if (errors.Count > 0 || policy is null) throw new ProcessDefinitionException(errors);
        return policy;
    }

    /// <summary>Adds the file's faults to <paramref name="errors"/>; returns the policy only when the file has none.</summary>
    public static ApprovalPolicy? Read(string fileName, string yaml, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(fileName);
        var policy = Read(r, yaml);
        errors.AddRange(r.Errors);
        return r.Errors.Count == 0 ? policy : null;
    }

    private static ApprovalPolicy? Read(YamlNodeReader r, string yaml)
    {
        var root = r.LoadRoot(yaml);
        if (root is null) return null;
        var top = r.Fields(root, "the change approval policy", TopKeys, TopKeys);

        var mode = ApprovalPolicyMode.FirstMatch;
        if (r.Text(top, "mode") is { } modeText)
        {
            if (Modes.TryGetValue(modeText, out var m)) mode = m;
            else r.Error(top["mode"], $"unknown mode '{modeText}'; use first-match or all-matches.");
        }
        var cab = r.Text(top, "cab-group");
        var ecab = r.Text(top, "emergency-cab-group");
        var fallback = r.Text(top, "fallback-group");

        var definitions = new List<ApprovalDefinition>();
        var definitionIds = new HashSet<string>(StringComparer.Ordinal);
        var definitionItems = r.Items(top, "definitions");
        if (top.TryGetValue("definitions", out var definitionsNode) && IsEmptyList(definitionsNode))
            r.Error(top["definitions"], "'definitions' lists no approval definition.");
        foreach (var item in definitionItems)
        {
            var definition = ReadDefinition(r, item);
            if (definition is null) continue;
            if (definition.Id == ApprovalPolicy.NoApproval)
                r.Error(item, $"'{ApprovalPolicy.NoApproval}' is reserved for decisions that need no approval; give the definition another id.");
            else if (!definitionIds.Add(definition.Id))
                r.Error(item, $"approval definition '{definition.Id}' is defined twice.");
            else
                definitions.Add(definition);
        }

        var decisions = new List<ApprovalDecision>();
        var decisionNames = new HashSet<string>(StringComparer.Ordinal);
        var decisionItems = r.Items(top, "decisions");
        if (top.TryGetValue("decisions", out var decisionsNode) && IsEmptyList(decisionsNode))
            r.Error(top["decisions"], "'decisions' lists no decision.");
        foreach (var item in decisionItems)
        {
            var fields = r.Fields(item, "a decision", DecisionKeys, DecisionKeys);
            var name = r.Text(fields, "name");
            if (name is not null && !decisionNames.Add(name))
                r.Error(fields["name"], $"decision '{name}' is defined twice.");
            var condition = fields.TryGetValue("when", out var whenNode) ? ReadCondition(r, whenNode) : null;
            var approval = r.Text(fields, "approval");
            if (approval is not null && approval != ApprovalPolicy.NoApproval && !definitionIds.Contains(approval))
                r.Error(fields["approval"], $"unknown approval definition '{approval}'. Defined: {Listed(definitionIds)}; or '{ApprovalPolicy.NoApproval}' for no approval.");
            if (name is not null && condition is not null && approval is not null)
                decisions.Add(new ApprovalDecision(name, condition, approval));
        }

        if (r.Errors.Count > 0 || cab is null || ecab is null || fallback is null) return null;
        return new ApprovalPolicy(mode, decisions, definitions, cab, ecab, fallback);
    }

    private static ApprovalDefinition? ReadDefinition(YamlNodeReader r, YamlMappingNode item)
    {
        var fields = r.Fields(item, "an approval definition", DefinitionKeys, DefinitionKeys);
        var id = r.Text(fields, "id");
        var stages = new List<ApprovalStageDefinition>();
        var stageNames = new HashSet<string>(StringComparer.Ordinal);
        var items = r.Items(fields, "stages");
        if (fields.TryGetValue("stages", out var stagesNode) && IsEmptyList(stagesNode))
            r.Error(stagesNode, $"approval definition '{id}' has no stages; a decision that needs no approval names '{ApprovalPolicy.NoApproval}' instead.");
        foreach (var stageNode in items)
        {
            var stageFields = r.Fields(stageNode, "a stage", StageKeys, StageKeys);
            var name = r.Text(stageFields, "name");
            if (name is not null && !stageNames.Add(name))
                r.Error(stageFields["name"], $"stage '{name}' appears twice in approval definition '{id}'.");
            var sets = new List<ApproverSetDefinition>();
            var setKeys = new HashSet<string>(StringComparer.Ordinal);
            if (stageFields.TryGetValue("sets", out var setsNode) && IsEmptyList(setsNode))
                r.Error(setsNode, $"stage '{name}' has no approver sets; every stage asks someone.");
            foreach (var setNode in r.Items(stageFields, "sets"))
            {
                var set = ReadSet(r, setNode);
                if (set is null) continue;
                if (!setKeys.Add(set.Key)) r.Error(setNode, $"stage '{name}' asks the set '{set.Key}' twice.");
                else sets.Add(set);
            }
            if (name is not null) stages.Add(new ApprovalStageDefinition(name, sets));
        }
        return id is null ? null : new ApprovalDefinition(id, stages);
    }

    private static ApproverSetDefinition? ReadSet(YamlNodeReader r, YamlMappingNode node)
    {
        var fields = r.Fields(node, "an approver set", SetKeys, ["approvers"]);
        var source = r.Text(fields, "approvers");
        var ruleText = r.Text(fields, "rule");
        var rule = ApprovalRule.All; // the strict choice; a set of one approver reads the same either way
        if (ruleText is not null)
        {
            if (ApprovalRule.TryParse(ruleText, out var parsed, out var error)) rule = parsed;
            else r.Error(fields["rule"], error!);
        }
        var asText = r.Text(fields, "as");
        if (asText is not null && asText != "group" && asText != "members")
            r.Error(fields["as"], $"'as' must be group (the group approves as one) or members (each member approves), not '{asText}'.");
        if (asText is not null && source is not null && !source.StartsWith("group:", StringComparison.Ordinal))
            r.Error(fields["as"], "'as' applies only to approvers: group:<name>.");
        if (source is null) return null;

        ApproverSetDefinition? set = source switch
        {
            "ci-owners" => new(ApproverSource.CiOwners, rule),
            "service-owners" => new(ApproverSource.ServiceOwners, rule),
            "cab" => new(ApproverSource.Cab, rule),
            "ecab" => new(ApproverSource.EmergencyCab, rule),
            _ when Named(source, "group:") is { } group => new(ApproverSource.Group, rule, group, asText == "members"),
            _ when Named(source, "person:") is { } person => new(ApproverSource.Person, rule, person),
            _ => null,
        };
        if (set is null) r.Error(fields["approvers"], $"unknown approver source '{source}'; use {Sources}.");
        return set;
    }

    private static string? Named(string source, string prefix) =>
        source.StartsWith(prefix, StringComparison.Ordinal) && source[prefix.Length..].Trim() is { Length: > 0 } name ? name : null;

    /// <summary><c>always</c>, or a mapping of conditions that must all hold.</summary>
    private static ApprovalCondition? ReadCondition(YamlNodeReader r, YamlNode node)
    {
        if (node is YamlScalarNode scalar)
        {
            if (scalar.Value?.Trim() == "always") return ApprovalCondition.Always;
            r.Error(node, $"unknown condition '{scalar.Value}'; write 'when: always' or a mapping of conditions ({string.Join(", ", Conditions)}).");
            return null;
        }
        if (node is not YamlMappingNode map)
        {
            r.Error(node, $"'when' must be 'always' or a mapping of conditions ({string.Join(", ", Conditions)}), not {YamlNodeReader.Describe(node)}.");
            return null;
        }
        if (map.Children.Count == 0)
        {
            r.Error(node, "'when' gives no condition; write 'when: always' for a decision that applies to every change.");
            return null;
        }

        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var ok = true;
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value;
            if (key is not null && Conditions.Contains(key)) fields[key] = value;
            else
            {
                r.Error(keyNode, $"unknown condition '{key}'. Known conditions: {string.Join(", ", Conditions)} (or 'when: always').");
                ok = false;
            }
        }

        var condition = new ApprovalCondition();
        if (fields.ContainsKey("type"))
        {
            var types = new List<ChangeType>();
            foreach (var t in r.TextList(fields, "type"))
            {
                if (Types.TryGetValue(t.ToLowerInvariant(), out var type)) types.Add(type);
                else
                {
                    r.Error(fields["type"], $"unknown change type '{t}'; types are {string.Join(", ", Types.Keys)}.");
                    ok = false;
                }
            }
            if (types.Count == 0 && IsEmptyList(fields["type"]))
            {
                r.Error(fields["type"], "'type' lists no change type.");
                ok = false;
            }
            ok &= types.Count > 0;
            condition = condition with { Types = types };
        }
        condition = condition with
        {
            RiskAtLeast = Risk(r, fields, "risk-at-least", ref ok),
            RiskAtMost = Risk(r, fields, "risk-at-most", ref ok),
        };
        if (condition is { RiskAtLeast: { } least, RiskAtMost: { } most } && least > most)
        {
            r.Error(fields["risk-at-least"], $"risk-at-least {least.Id()} is above risk-at-most {most.Id()}: the decision could never match.");
            ok = false;
        }
        if (fields.ContainsKey("service-criticality-at-most"))
        {
            var n = r.Int(fields, "service-criticality-at-most");
            if (n is < 1 or > 4)
            {
                r.Error(fields["service-criticality-at-most"], $"'service-criticality-at-most' must be a criticality from 1 (most critical) to 4, not {n.Value.ToString(CultureInfo.InvariantCulture)}.");
                ok = false;
            }
            ok &= n is not null;
            condition = condition with { ServiceCriticalityAtMost = n };
        }
        if (fields.ContainsKey("ci-class"))
        {
            var classes = r.TextList(fields, "ci-class");
            if (classes.Count == 0 && IsEmptyList(fields["ci-class"]))
            {
                r.Error(fields["ci-class"], "'ci-class' lists no CI class.");
                ok = false;
            }
            ok &= classes.Count > 0;
            condition = condition with { CiClasses = classes };
        }
        return ok ? condition : null;
    }

    private static RiskLevel? Risk(YamlNodeReader r, Dictionary<string, YamlNode> fields, string key, ref bool ok)
    {
        var text = r.Text(fields, key);
        if (text is null)
        {
            ok &= !fields.ContainsKey(key);
            return null;
        }
        if (RiskLevelText.Parse(text) is { } level) return level;
        r.Error(fields[key], $"unknown risk '{text}'; risks are low, moderate, high, very-high.");
        ok = false;
        return null;
    }

    /// <summary><c>key: []</c> or <c>key:</c> with nothing after it (other shapes are reported by <see cref="YamlNodeReader.Items"/>).</summary>
    private static bool IsEmptyList(YamlNode node) => node is YamlSequenceNode { Children.Count: 0 } or YamlScalarNode { Value: null or "" };

    private static string Listed(IEnumerable<string> ids) => ids.Any() ? string.Join(", ", ids) : "none";
}
