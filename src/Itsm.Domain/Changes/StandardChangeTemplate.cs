namespace Itsm.Domain.Changes;

/// <summary>
/// A pre-approved change of the standard-change catalog (seed-data/reference/standard-changes.yaml): what it does,
/// how, how to back it out and test it, how long it takes, and the CI classes it may touch.
/// </summary>
public sealed record StandardChangeTemplate(
    string Code,
    string Name,
    string Description,
    string ImplementationPlan,
    string BackoutPlan,
    string TestPlan,
    TimeSpan Duration,
    IReadOnlyList<string> CiClasses);

/// <summary>The standard-change catalog.</summary>
public sealed class StandardChangeCatalog(IReadOnlyList<StandardChangeTemplate> templates)
{
    private readonly Dictionary<string, StandardChangeTemplate> _byCode = templates.ToDictionary(t => t.Code, StringComparer.Ordinal);

    public IReadOnlyList<StandardChangeTemplate> Templates { get; } = templates;

    public StandardChangeTemplate? Find(string? code) => code is null ? null : _byCode.GetValueOrDefault(code.Trim());
}
