using Itsm.Domain.Cmdb;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Itsm.Infrastructure.Cmdb;

/// <summary>
/// Reads the CMDB's vocabulary from seed-data/reference: cmdb-classes.yaml, cmdb-relationship-types.yaml and
/// cmdb-sources.yaml. Every mistake is reported with its file and what is wrong, and start-up stops.
/// </summary>
public static class CmdbModelReader
{
    public const string ClassesFile = "cmdb-classes.yaml";
    public const string TypesFile = "cmdb-relationship-types.yaml";
    public const string SourcesFile = "cmdb-sources.yaml";

    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(HyphenatedNamingConvention.Instance)
        .Build();

    public static (CmdbModel Model, SourcePrecedence Precedence) Read(string referenceDir)
    {
        var errors = new List<string>();
        var classesPath = Path.Combine(referenceDir, ClassesFile);
        var typesPath = Path.Combine(referenceDir, TypesFile);
        var classFile = Parse<ClassFile>(classesPath);
        var typeFile = Parse<TypeFile>(typesPath);

        var classes = new Dictionary<string, CiClass>(StringComparer.OrdinalIgnoreCase);
        var pending = classFile.Classes.ToList();
        foreach (var dup in pending.GroupBy(c => c.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{ClassesFile}: class '{dup.Key}' is declared {dup.Count()} times.");
        // Parents first: a class whose parent is not built yet waits; whatever never resolves is an error.
        while (pending.Count > 0)
        {
            var ready = pending.Where(c => c.Parent is null || classes.ContainsKey(c.Parent)).ToList();
            if (ready.Count == 0)
            {
                foreach (var c in pending)
                    errors.Add($"{ClassesFile}: class '{c.Code}' has parent '{c.Parent}', which is not a class (or is part of a cycle).");
                break;
            }
            foreach (var c in ready)
            {
                pending.Remove(c);
                if (string.IsNullOrWhiteSpace(c.Code)) { errors.Add($"{ClassesFile}: a class has no code."); continue; }
                if (classes.ContainsKey(c.Code)) continue;
                var attributes = new List<CiAttributeDefinition>();
                foreach (var a in c.Attributes)
                {
                    if (!Enum.TryParse<CiAttributeType>(a.Type, ignoreCase: true, out var type))
                    {
                        errors.Add($"{ClassesFile}: attribute '{a.Name}' of class '{c.Code}' has type '{a.Type}'; types are {string.Join(", ", Enum.GetNames<CiAttributeType>().Select(n => n.ToLowerInvariant()))}.");
                        continue;
                    }
                    if (type == CiAttributeType.Enum && a.Values.Count == 0)
                        errors.Add($"{ClassesFile}: enum attribute '{a.Name}' of class '{c.Code}' lists no values.");
                    attributes.Add(new CiAttributeDefinition(a.Name, type, a.Required, a.Values));
                }
                var parent = c.Parent is null ? null : classes[c.Parent];
                var cls = new CiClass(c.Code, c.Name ?? c.Code, parent, c.Abstract, c.Redundancy, attributes, c.Identifiers);
                foreach (var dup in cls.Attributes.GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                    errors.Add($"{ClassesFile}: class '{c.Code}' has attribute '{dup.Key}' more than once (inherited ones count).");
                foreach (var id in cls.Identifiers.Where(id => id != "name" && cls.Attribute(id) is null))
                    errors.Add($"{ClassesFile}: identifier '{id}' of class '{c.Code}' is not one of its attributes (or \"name\").");
                classes[c.Code] = cls;
            }
        }

        var types = new List<RelationshipType>();
        foreach (var t in typeFile.RelationshipTypes)
        {
            if (string.IsNullOrWhiteSpace(t.Code) || string.IsNullOrWhiteSpace(t.Name) || string.IsNullOrWhiteSpace(t.Inverse))
            {
                errors.Add($"{TypesFile}: relationship type '{t.Code}' needs a code, a name and an inverse.");
                continue;
            }
            var impact = t.Impact?.Replace("-", "", StringComparison.Ordinal);
            if (!Enum.TryParse<ImpactDirection>(impact, ignoreCase: true, out var direction))
            {
                errors.Add($"{TypesFile}: relationship type '{t.Code}' has impact '{t.Impact}'; write target-to-source, source-to-target, both or none.");
                continue;
            }
            types.Add(new RelationshipType(t.Code, t.Name, t.Inverse, Ends(t.Code, "sources", t.Sources), Ends(t.Code, "targets", t.Targets),
                direction, t.RedundancyMembers));
        }
        foreach (var dup in types.GroupBy(t => t.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"{TypesFile}: relationship type '{dup.Key}' is declared {dup.Count()} times.");

        var ranks = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var sourcesPath = Path.Combine(referenceDir, SourcesFile);
        if (File.Exists(sourcesPath))
            foreach (var s in Parse<SourceFile>(sourcesPath).Sources)
                if (string.IsNullOrWhiteSpace(s.Name)) errors.Add($"{SourcesFile}: a source has no name.");
                else ranks[s.Name.Trim()] = s.Precedence;

        if (errors.Count > 0)
            throw new InvalidOperationException($"The CMDB reference data in {referenceDir} is invalid:{Environment.NewLine}  " +
                                                string.Join(Environment.NewLine + "  ", errors));
        return (new CmdbModel(classes.Values, types, classFile.Environments), new SourcePrecedence(ranks));

        IReadOnlyList<CiClass> Ends(string type, string end, List<string> codes)
        {
            if (codes.Count == 0 || codes.Any(c => c.Equals("any", StringComparison.OrdinalIgnoreCase))) return [];
            var found = new List<CiClass>();
            foreach (var code in codes)
                if (classes.TryGetValue(code, out var c)) found.Add(c);
                else errors.Add($"{TypesFile}: relationship type '{type}' lists '{code}' in its {end}, which is not a CI class.");
            return found;
        }
    }

    private static T Parse<T>(string path) where T : new()
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The CMDB reference file {path} is missing.", path);
        try
        {
            return Yaml.Deserialize<T>(File.ReadAllText(path)) ?? new T();
        }
        catch (YamlException e)
        {
            throw new InvalidOperationException($"{Path.GetFileName(path)} line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }
    }

    private sealed class ClassFile
    {
        public List<string> Environments { get; set; } = [];
        public List<ClassRow> Classes { get; set; } = [];
    }

    private sealed class ClassRow
    {
        public string Code { get; set; } = "";
        public string? Name { get; set; }
        public string? Parent { get; set; }
        public bool Abstract { get; set; }
        public bool Redundancy { get; set; }
        public List<string>? Identifiers { get; set; }
        public List<AttributeRow> Attributes { get; set; } = [];
    }

    private sealed class AttributeRow
    {
        public string Name { get; set; } = "";
        public string Type { get; set; } = "string";
        public bool Required { get; set; }
        public List<string> Values { get; set; } = [];
    }

    private sealed class TypeFile
    {
        public List<TypeRow> RelationshipTypes { get; set; } = [];
    }

    private sealed class TypeRow
    {
        public string Code { get; set; } = "";
        public string Name { get; set; } = "";
        public string Inverse { get; set; } = "";
        public List<string> Sources { get; set; } = [];
        public List<string> Targets { get; set; } = [];
        public string? Impact { get; set; }
        public bool RedundancyMembers { get; set; }
    }

    private sealed class SourceFile
    {
        public List<SourceRow> Sources { get; set; } = [];
    }

    private sealed class SourceRow
    {
        public string Name { get; set; } = "";
        public int Precedence { get; set; }
    }
}
