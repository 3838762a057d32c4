namespace Itsm.Domain.Cmdb;

/// <summary>
/// Which source wins a CI field (seed-data/reference/cmdb-sources.yaml): a field last written by a source of higher
/// precedence is not overwritten by one of lower precedence. Writes by people (no source) are "manual".
/// </summary>
public sealed class SourcePrecedence(IReadOnlyDictionary<string, int> ranks)
{
    public const string Manual = "manual";

    public static SourcePrecedence None { get; } = new(new Dictionary<string, int>());

    public static string Name(string? source) => string.IsNullOrWhiteSpace(source) ? Manual : source.Trim();

    public int Rank(string source) => ranks.TryGetValue(source, out var r) ? r : 0;

    public bool Outranks(string owner, string writer) => Rank(owner) > Rank(writer);
}
