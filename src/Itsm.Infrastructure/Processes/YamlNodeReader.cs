using System.Globalization;
using System.Text.RegularExpressions;
using Itsm.Domain.Processes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Typed, located access to a YAML representation tree. Every problem is recorded with the file and the
/// line of the offending node instead of thrown, so one pass reports every fault in the file.
/// </summary>
internal sealed partial class YamlNodeReader(string file)
{
    public string File { get; } = file;
    public List<DefinitionError> Errors { get; } = [];

    public SourceLocation At(YamlNode node) => At(node.Start);

    // YamlDotNet counts lines from 1; a mark without position (0) still points at the file's start.
    public SourceLocation At(Mark mark) => new(File, Math.Max(1, (int)mark.Line));

    public void Error(YamlNode node, string message) => Errors.Add(new DefinitionError(At(node), message));

    /// <summary>The single document's root, or null (with an error) when the text is not one YAML document.</summary>
    public YamlNode? LoadRoot(string yaml)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            Errors.Add(new DefinitionError(At(ex.Start), "YAML syntax error: " + WithoutMarks(ex.Message)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the text ends inside a [...] or {...}; the last event read
            // is where that structure was opened.
            var at = parser.Current is { } last ? At(last.Start) : new SourceLocation(File, 1);
            Errors.Add(new DefinitionError(at, "YAML syntax error: the file ends before a [ ... ] or { ... } opened here is closed."));
            return null;
        }
        if (stream.Documents.Count == 0)
        {
            Errors.Add(new DefinitionError(new SourceLocation(File, 1), "the file is empty."));
            return null;
        }
        if (stream.Documents.Count > 1)
            Error(stream.Documents[1].RootNode, "only one YAML document per file is allowed.");
        return stream.Documents[0].RootNode;
    }

    /// <summary>The keys of a mapping; reports keys outside <paramref name="known"/> and missing <paramref name="required"/> ones.</summary>
    public Dictionary<string, YamlNode> Fields(YamlNode node, string what, string[] known, string[] required)
    {
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode map)
        {
            Error(node, $"{what} must be a mapping of keys ({string.Join(", ", known)}), not {Describe(node)}.");
            return fields;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                Error(keyNode, $"a key in {what} must be a plain name, not {Describe(keyNode)}.");
            else if (!known.Contains(key))
                Error(keyNode, $"unknown key '{key}' in {what}. Known keys: {string.Join(", ", known)}.");
            else
                fields[key] = value;
        }
        foreach (var key in required.Where(k => !fields.ContainsKey(k)))
            Error(node, $"{what} has no '{key}'; it is required.");
        return fields;
    }

    /// <summary>A non-empty single value, or null when absent (already reported if required) or of the wrong type.</summary>
    public string? Text(Dictionary<string, YamlNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node)) return null;
        if (node is not YamlScalarNode scalar)
        {
            Error(node, $"'{key}' must be a single value, not {Describe(node)}.");
            return null;
        }
        if (string.IsNullOrWhiteSpace(scalar.Value))
        {
            Error(node, $"'{key}' has no value.");
            return null;
        }
        return scalar.Value.Trim();
    }

    public bool? Bool(Dictionary<string, YamlNode> fields, string key)
    {
        var text = Text(fields, key);
        if (text is null) return null;
        if (text == "true") return true;
        if (text == "false") return false;
        Error(fields[key], $"'{key}' must be true or false, not '{text}'.");
        return null;
    }

    public int? Int(Dictionary<string, YamlNode> fields, string key)
    {
        var text = Text(fields, key);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Error(fields[key], $"'{key}' must be a whole number, not '{text}'.");
        return null;
    }

    /// <summary>A list of single values, e.g. <c>[Agent, Admin]</c>; empty when absent.</summary>
    public IReadOnlyList<string> TextList(Dictionary<string, YamlNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node)) return [];
        if (node is YamlScalarNode { Value: null or "" }) return []; // `key:` with nothing after it
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list such as [a, b], not {Describe(node)}.");
            return [];
        }
        var items = new List<string>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlScalarNode { Value: { } v } && !string.IsNullOrWhiteSpace(v))
                items.Add(v.Trim());
            else
                Error(item, $"each item of '{key}' must be a single value, not {Describe(item)}.");
        }
        return items;
    }

    /// <summary>The entries of a list of mappings (states, transitions, ...); empty when absent. Other entries are reported and skipped.</summary>
    public IReadOnlyList<YamlMappingNode> Items(Dictionary<string, YamlNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node)) return [];
        if (node is YamlScalarNode { Value: null or "" }) return [];
        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"'{key}' must be a list of entries, each starting with '- ', not {Describe(node)}.");
            return [];
        }
        var items = new List<YamlMappingNode>();
        foreach (var item in sequence.Children)
        {
            if (item is YamlMappingNode map) items.Add(map);
            else Error(item, $"each entry of '{key}' must be a mapping of keys, not {Describe(item)}.");
        }
        return items;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"the value '{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    // YamlDotNet prefixes its messages with "(Line: 3, Col: 1, Idx: 20) - (Line: …): "; we give the line ourselves.
    private static string WithoutMarks(string message) => MarksPrefix().Replace(message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarksPrefix();
}
