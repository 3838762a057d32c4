namespace Itsm.Domain.Processes;

/// <summary>The union of every module's vocabulary: what a process definition may name.</summary>
public static class ProcessVocabulary
{
    private static readonly Lazy<(Dictionary<string, Guard> Guards, Dictionary<string, TransitionField> Fields, Dictionary<string, TransitionEffect> Effects)> Registry = new(() =>
    {
        var vocabularies = typeof(IProcessVocabulary).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IProcessVocabulary).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IProcessVocabulary)Activator.CreateInstance(t)!)
            .ToList();
        // A name given twice would make a definition mean two things: fail loudly at start-up.
        return (
            vocabularies.SelectMany(v => v.Guards).ToDictionary(g => g.Name, StringComparer.Ordinal),
            vocabularies.SelectMany(v => v.Fields).ToDictionary(f => f.Name, StringComparer.Ordinal),
            vocabularies.SelectMany(v => v.Effects).ToDictionary(e => e.Name, StringComparer.Ordinal));
    });

    public static IReadOnlyDictionary<string, Guard> Guards => Registry.Value.Guards;
    public static IReadOnlyDictionary<string, TransitionField> Fields => Registry.Value.Fields;
    public static IReadOnlyDictionary<string, TransitionEffect> Effects => Registry.Value.Effects;
}
