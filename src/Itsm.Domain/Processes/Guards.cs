namespace Itsm.Domain.Processes;

/// <summary>The registry of guards a definition may name: every module's (see <see cref="IProcessVocabulary"/>).</summary>
public static class Guards
{
    public static IReadOnlyDictionary<string, Guard> All => ProcessVocabulary.Guards;
}
