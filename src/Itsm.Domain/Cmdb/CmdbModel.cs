using Itsm.Domain.Common;

namespace Itsm.Domain.Cmdb;

/// <summary>The CMDB's vocabulary: its CI classes and relationship types, read from reference data at start.</summary>
public sealed class CmdbModel
{
    private readonly Dictionary<string, CiClass> _classes;
    private readonly Dictionary<string, RelationshipType> _types;
    // Each class's code with its ancestors' codes: "is this CI a service?" is asked for every CI an impact walk reaches.
    private readonly Dictionary<string, HashSet<string>> _lineage;

    public CmdbModel(IEnumerable<CiClass> classes, IEnumerable<RelationshipType> types, IEnumerable<string> environments)
    {
        Classes = classes.ToList();
        Types = types.ToList();
        Environments = environments.ToList();
        _classes = Classes.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
        _types = Types.ToDictionary(t => t.Code, StringComparer.OrdinalIgnoreCase);
        _lineage = Classes.ToDictionary(c => c.Code, Lineage, StringComparer.OrdinalIgnoreCase);
    }

    private static HashSet<string> Lineage(CiClass c)
    {
        var codes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var x = c; x is not null; x = x.Parent) codes.Add(x.Code);
        return codes;
    }

    public IReadOnlyList<CiClass> Classes { get; }
    public IReadOnlyList<RelationshipType> Types { get; }
    public IReadOnlyList<string> Environments { get; }

    public CiClass? FindClass(string? code) => code is not null && _classes.TryGetValue(code.Trim(), out var c) ? c : null;
    public RelationshipType? FindType(string? code) => code is not null && _types.TryGetValue(code.Trim(), out var t) ? t : null;

    public CiClass Class(string code) => FindClass(code) ?? throw new InvalidOperationException($"Unknown CI class '{code}'.");
    public RelationshipType Type(string code) => FindType(code) ?? throw new InvalidOperationException($"Unknown relationship type '{code}'.");

    /// <summary>A class a CI may be created in, or a field error that says which are.</summary>
    public CiClass RequireConcreteClass(string field, string? code)
    {
        var c = FindClass(code);
        if (c is null || c.IsAbstract)
            throw new FieldValidationException(field, $"'{code}' is not a CI class. Classes: {string.Join(", ", Classes.Where(x => !x.IsAbstract).Select(x => x.Code))}.");
        return c;
    }

    /// <summary>Whether <paramref name="classCode"/> is the class <paramref name="ancestorCode"/> or one of its subclasses (false for unknown codes).</summary>
    public bool IsA(string? classCode, string ancestorCode) =>
        classCode is not null && _lineage.TryGetValue(classCode.Trim(), out var lineage) && lineage.Contains(ancestorCode);

    /// <summary>The class and all its subclasses (for "search by class").</summary>
    public IReadOnlyList<CiClass> WithSubclasses(CiClass c) => Classes.Where(x => x.IsA(c)).ToList();

    public string? NormalizeEnvironment(string? environment) =>
        string.IsNullOrWhiteSpace(environment) ? null
        : Environments.FirstOrDefault(e => string.Equals(e, environment.Trim(), StringComparison.OrdinalIgnoreCase));
}
