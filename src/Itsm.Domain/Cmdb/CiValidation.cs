namespace Itsm.Domain.Cmdb;

/// <summary>Checks proposed values against their class, field by field, and returns them in their stored spelling.</summary>
public static class CiValidation
{
    public const int MaxNameLength = 255;

    public static (CiValues Values, Dictionary<string, string[]> Errors) Normalize(CiClass cls, CiValues v)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];

        var name = (v.Name ?? "").Trim();
        if (name.Length == 0) Error("name", "A name is required.");
        else if (name.Length > MaxNameLength) Error("name", $"At most {MaxNameLength} characters.");
        if (v.Criticality is < 1 or > 4) Error("criticality", "Criticality must be 1 (highest), 2, 3 or 4.");
        if (!Enum.IsDefined(v.Status)) Error("status", $"Status must be {CiStatusText.Allowed}.");
        if (v.Redundancy is not null && !cls.AllowsRedundancy)
            Error("redundancy", $"A {cls.Name.ToLowerInvariant()} takes no redundancy rule; only clusters and groups do.");

        var attributes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, raw) in v.Attributes)
        {
            var def = cls.Attribute(key);
            if (def is null)
            {
                Error($"attributes.{key}", $"A {cls.Code} has no attribute '{key}'. Its attributes: {string.Join(", ", cls.Attributes.Select(a => a.Name))}.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(raw)) continue; // an empty value clears the attribute
            if (def.TryNormalize(raw, out var value, out var error)) attributes[def.Name] = value;
            else Error($"attributes.{def.Name}", error!);
        }
        foreach (var def in cls.Attributes.Where(a => a.Required))
            if (!attributes.ContainsKey(def.Name) && !errors.ContainsKey($"attributes.{def.Name}"))
                Error($"attributes.{def.Name}", $"A {cls.Code} needs '{def.Name}'.");

        return (v with { Name = name, Attributes = attributes }, errors);
    }

    /// <summary>
    /// The key that recognises the same CI on re-import: the identifier owner's class and the identifier values,
    /// case-folded; null when one of them is missing.
    /// </summary>
    public static string? IdentityKey(CiClass cls, CiValues v)
    {
        if (cls.Identifiers.Count == 0) return null;
        var parts = new List<string> { cls.IdentifierOwner.Code };
        foreach (var id in cls.Identifiers)
        {
            var value = id == "name" ? v.Name : v.Attributes.GetValueOrDefault(id);
            if (string.IsNullOrWhiteSpace(value)) return null;
            parts.Add(value.Trim().ToLowerInvariant());
        }
        var key = string.Join('\u001f', parts);
        return key.Length <= 1000 ? key : null;
    }
}
