using System.Text.RegularExpressions;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using YamlDotNet.RepresentationModel;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// Reads the process definitions of <c>itil-processes/</c> (format: itil-processes/README.md).
/// Uses YamlDotNet's representation model rather than a deserializer so that every error can point at the
/// line it is about; shape errors are found here, lifecycle errors by <see cref="ProcessDefinitionValidator"/>.
/// </summary>
public static partial class ProcessDefinitionLoader
{
    public const string PriorityMatrixFile = "priority-matrix.yaml";
    public const string ChangeRiskFile = "change-risk.yaml";
    public const string ChangeApprovalsFile = "change-approvals.yaml";

    /// <summary>The files of the directory that are not processes: the matrix, and change management's risk rules and approval policy.</summary>
    private static readonly HashSet<string> NotProcesses = new([PriorityMatrixFile, ChangeRiskFile, ChangeApprovalsFile], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] TopKeys =
        ["process", "kind", "initial-state", "reopen-window-days", "states", "hold-reasons", "resolution-codes", "transitions", "automatic-transitions",
         "state-renames"];
    private static readonly string[] StateKeys = ["id", "label", "active", "final"];
    private static readonly string[] ChoiceKeys = ["id", "label"];
    private static readonly string[] TransitionKeys = ["name", "label", "from", "to", "roles", "guards", "required-fields", "optional-fields", "effects"];
    private static readonly string[] AutomaticKeys = ["name", "trigger", "from", "to", "hold-reason", "after-days"];

    // Trigger names are the enum's names in kebab-case, so a new trigger needs no change here.
    private static readonly Dictionary<string, AutomaticTrigger> Triggers =
        Enum.GetValues<AutomaticTrigger>().ToDictionary(t => Kebab(t.ToString()), StringComparer.Ordinal);

    /// <summary>
    /// Loads every <c>*.yaml</c> of the directory as a process, except <c>priority-matrix.yaml</c>, which is required
    /// and applies to all of them, and the change policy files (read by their own readers). Throws <see cref="ProcessDefinitionException"/> listing every fault of every file.
    /// </summary>
    public static IReadOnlyList<ProcessDefinition> LoadDirectory(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
            throw new DirectoryNotFoundException($"The process definition directory '{full}' does not exist.");
        // Errors name files as "itil-processes/incident.yaml": short, yet says where to look.
        var folder = Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        string Display(string path) => folder + "/" + Path.GetFileName(path);

        var errors = new List<DefinitionError>();
        var matrixPath = Path.Combine(full, PriorityMatrixFile);
        var matrix = PriorityMatrix.Default;
        if (!File.Exists(matrixPath))
            errors.Add(new DefinitionError(new SourceLocation(Display(matrixPath), 1),
                "the priority matrix file is missing; every process needs it."));
        else
            matrix = PriorityMatrixReader.Read(Display(matrixPath), File.ReadAllText(matrixPath), errors) ?? PriorityMatrix.Default;

        var files = Directory.GetFiles(full, "*.yaml")
            .Where(f => !NotProcesses.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
            errors.Add(new DefinitionError(new SourceLocation(Display(Path.Combine(full, "*.yaml")), 1),
                "there is no process definition in the directory."));

        var processes = new List<ProcessDefinition>();
        var kinds = new Dictionary<TicketKind, ParsedProcess>();
        var names = new Dictionary<string, ParsedProcess>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var parsed = Read(Display(file), File.ReadAllText(file), matrix, errors);
            if (parsed is null) continue;
            var p = parsed.Definition;
            if (!kinds.TryAdd(p.Kind, parsed))
                errors.Add(new DefinitionError(parsed.KindAt, $"kind {p.Kind} is already governed by {kinds[p.Kind].Definition.File}."));
            if (!names.TryAdd(p.Name, parsed))
                errors.Add(new DefinitionError(parsed.NameAt, $"process '{p.Name}' is already defined in {names[p.Name].Definition.File}."));
            processes.Add(p);
        }
        if (errors.Count > 0) throw new ProcessDefinitionException(errors);
        return processes;
    }

    /// <summary>Parses one process definition; throws <see cref="ProcessDefinitionException"/> listing every fault.</summary>
    public static ProcessDefinition Parse(string fileName, string yaml, PriorityMatrix matrix)
    {
        var errors = new List<DefinitionError>();
        var parsed = Read(fileName, yaml, matrix, errors);
        if (errors.Count > 0 || parsed is null) throw new ProcessDefinitionException(errors);
        return parsed.Definition;
    }

    /// <summary>Parses a priority matrix file; throws <see cref="ProcessDefinitionException"/> listing every fault.</summary>
    public static PriorityMatrix ParsePriorityMatrix(string fileName, string yaml)
    {
        var errors = new List<DefinitionError>();
        var matrix = PriorityMatrixReader.Read(fileName, yaml, errors);
        if (errors.Count > 0 || matrix is null) throw new ProcessDefinitionException(errors);
        return matrix;
    }

    private sealed record ParsedProcess(ProcessDefinition Definition, SourceLocation KindAt, SourceLocation NameAt);

    /// <summary>Adds the file's faults to <paramref name="errors"/>; returns the definition when it could be built at all.</summary>
    private static ParsedProcess? Read(string file, string yaml, PriorityMatrix matrix, List<DefinitionError> errors)
    {
        var r = new YamlNodeReader(file);
        var root = r.LoadRoot(yaml);
        if (root is null)
        {
            errors.AddRange(r.Errors);
            return null;
        }

        var top = r.Fields(root, "the process definition", TopKeys, ["process", "kind", "initial-state", "states", "transitions"]);
        var name = r.Text(top, "process") ?? Path.GetFileNameWithoutExtension(file);
        var kind = ReadKind(r, top);
        var reopenDays = r.Int(top, "reopen-window-days");
        if (reopenDays < 0)
            r.Error(top["reopen-window-days"], $"'reopen-window-days' must be 0 or more, not {reopenDays}.");

        var definition = new ProcessDefinition
        {
            Name = name,
            Kind = kind ?? TicketKind.Incident,
            File = file,
            InitialState = r.Text(top, "initial-state") ?? "",
            InitialStateLocation = top.TryGetValue("initial-state", out var initialNode) ? r.At(initialNode) : r.At(root),
            States = r.Items(top, "states").Select(n => ReadState(r, n)).ToList(),
            StatesLocation = KeyLocation(r, root, "states"),
            StateRenames = ReadRenames(r, top),
            HoldReasons = ReadChoices(r, top, "hold-reasons", "a hold reason"),
            ResolutionCodes = ReadChoices(r, top, "resolution-codes", "a resolution code"),
            Transitions = r.Items(top, "transitions").Select(n => ReadTransition(r, n)).ToList(),
            AutomaticTransitions = r.Items(top, "automatic-transitions").Select(n => ReadAutomatic(r, n)).ToList(),
            ReopenWindowDays = reopenDays is >= 0 ? reopenDays.Value : 7,
            PriorityMatrix = matrix,
        };

        // Shape errors and lifecycle errors together, in file order, so one run shows everything to fix.
        errors.AddRange(r.Errors.Concat(ProcessDefinitionValidator.Validate(definition))
            .OrderBy(e => e.Location.Line));
        return kind is null ? null : new ParsedProcess(definition,
            top.TryGetValue("kind", out var kindNode) ? r.At(kindNode) : r.At(root),
            top.TryGetValue("process", out var nameNode) ? r.At(nameNode) : r.At(root));
    }

    private static TicketKind? ReadKind(YamlNodeReader r, Dictionary<string, YamlNode> top)
    {
        var text = r.Text(top, "kind");
        if (text is null) return null;
        // Names only: Enum.TryParse would also accept "1".
        var match = Enum.GetValues<TicketKind>().Where(k => string.Equals(k.ToString(), text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (match.Count == 1) return match[0];
        r.Error(top["kind"], $"unknown ticket kind '{text}'. Known kinds: {string.Join(", ", Enum.GetNames<TicketKind>())}.");
        return null;
    }

    private static SourceLocation KeyLocation(YamlNodeReader r, YamlNode root, string key) =>
        root is YamlMappingNode map && map.Children.Keys.OfType<YamlScalarNode>().FirstOrDefault(k => k.Value == key) is { } node
            ? r.At(node) : r.At(root);

    /// <summary><c>state-renames: { old-id: new-id, ... }</c>; empty when absent.</summary>
    private static List<StateRename> ReadRenames(YamlNodeReader r, Dictionary<string, YamlNode> top)
    {
        var renames = new List<StateRename>();
        if (!top.TryGetValue("state-renames", out var node) || node is YamlScalarNode { Value: null or "" }) return renames;
        if (node is not YamlMappingNode map)
        {
            r.Error(node, $"'state-renames' must map old state ids to new ones, e.g. {{ in-progress: working }}, not {YamlNodeReader.Describe(node)}.");
            return renames;
        }
        foreach (var (keyNode, value) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } from } || string.IsNullOrWhiteSpace(from))
                r.Error(keyNode, $"a key in 'state-renames' must be a state id, not {YamlNodeReader.Describe(keyNode)}.");
            else if (value is not YamlScalarNode { Value: { } to } || string.IsNullOrWhiteSpace(to))
                r.Error(value, $"'state-renames' must map '{from.Trim()}' to one state id, not {YamlNodeReader.Describe(value)}.");
            else
                renames.Add(new StateRename(from.Trim(), to.Trim(), r.At(keyNode)));
        }
        return renames;
    }

    private static StateDefinition ReadState(YamlNodeReader r, YamlNode node)
    {
        var f = r.Fields(node, "a state", StateKeys, StateKeys);
        return new StateDefinition(
            r.Text(f, "id") ?? "",
            r.Text(f, "label") ?? r.Text(f, "id") ?? "",
            r.Bool(f, "active") ?? false,
            r.Bool(f, "final") ?? false,
            r.At(node));
    }

    private static List<Choice> ReadChoices(YamlNodeReader r, Dictionary<string, YamlNode> top, string key, string what)
    {
        var choices = new List<Choice>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in r.Items(top, key))
        {
            var f = r.Fields(node, what, ChoiceKeys, ChoiceKeys);
            var id = r.Text(f, "id");
            if (id is null) continue;
            var line = r.At(node).Line;
            if (!seen.TryAdd(id, line))
            {
                r.Error(node, $"'{id}' appears twice in {key} (first at line {seen[id]}).");
                continue;
            }
            choices.Add(new Choice(id, r.Text(f, "label") ?? id));
        }
        return choices;
    }

    private static TransitionDefinition ReadTransition(YamlNodeReader r, YamlNode node)
    {
        var f = r.Fields(node, "a transition", TransitionKeys, ["name", "label", "from", "to"]);
        return new TransitionDefinition(
            r.Text(f, "name") ?? "",
            r.Text(f, "label") ?? r.Text(f, "name") ?? "",
            r.TextList(f, "from"),
            r.Text(f, "to") ?? "",
            r.TextList(f, "roles"),
            r.TextList(f, "guards"),
            r.TextList(f, "required-fields"),
            r.At(node))
        {
            OptionalFields = r.TextList(f, "optional-fields"),
            Effects = r.TextList(f, "effects"),
        };
    }

    private static AutomaticTransitionDefinition ReadAutomatic(YamlNodeReader r, YamlNode node)
    {
        var f = r.Fields(node, "an automatic transition", AutomaticKeys, ["name", "trigger", "from", "to"]);
        var triggerText = r.Text(f, "trigger");
        var afterDays = r.Int(f, "after-days");
        if (triggerText is null || !Triggers.TryGetValue(triggerText, out var trigger))
        {
            if (triggerText is not null)
                r.Error(f["trigger"], $"unknown trigger '{triggerText}'. Known triggers: {string.Join(", ", Triggers.Keys)}.");
            // A guess that keeps the validator from adding a second error about after-days.
            trigger = afterDays is null ? AutomaticTrigger.CallerComment : AutomaticTrigger.Timer;
        }
        return new AutomaticTransitionDefinition(
            r.Text(f, "name") ?? "",
            trigger,
            r.Text(f, "from") ?? "",
            r.Text(f, "to") ?? "",
            r.Text(f, "hold-reason"),
            afterDays,
            r.At(node));
    }

    private static string Kebab(string pascal) => KebabBoundary().Replace(pascal, "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex KebabBoundary();
}
