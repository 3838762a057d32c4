using System.Globalization;
using Itsm.Domain.Common;

namespace Itsm.Domain.Cmdb;

/// <summary>
/// A configuration item. Every write goes through <see cref="Register"/> or <see cref="Update"/>, which stamp the
/// changeset and return what changed field by field (common fields by name, attributes as <c>attr:&lt;name&gt;</c>).
/// </summary>
public sealed class ConfigurationItem
{
    public const string AttributePrefix = "attr:";

    private ConfigurationItem() { }

    public long Id { get; private set; }
    public string ClassCode { get; private set; } = "";
    public string Name { get; private set; } = "";
    public CiStatus Status { get; private set; }
    public string? Environment { get; private set; }
    public int Criticality { get; private set; }
    public Guid? OwnerGroupId { get; private set; }
    public Guid? SupportGroupId { get; private set; }
    public bool Restricted { get; private set; }
    public int? RedundancyNeeded { get; private set; }
    public bool RedundancyIsPercent { get; private set; }
    public Dictionary<string, string> Attributes { get; private set; } = [];
    /// <summary>For each field, the source that last wrote it (see <see cref="SourcePrecedence"/>).</summary>
    public Dictionary<string, string> AttributeSources { get; private set; } = [];
    public string? Source { get; private set; }
    public string? NativeKey { get; private set; }
    public string? IdentityKey { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public long CreatedChangesetId { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public long UpdatedChangesetId { get; private set; }
    public int Version { get; private set; }

    public Redundancy? Redundancy => RedundancyNeeded is { } n ? new Redundancy(n, RedundancyIsPercent) : null;

    public static ConfigurationItem Register(CiClass cls, CiValues values, string? source, string? nativeKey, CmdbChangeset changeset)
    {
        if (cls.IsAbstract) throw new BusinessRuleException("ci-class-abstract", $"'{cls.Code}' is abstract: choose one of its subclasses.");
        var ci = new ConfigurationItem
        {
            ClassCode = cls.Code,
            Source = source,
            NativeKey = nativeKey,
            CreatedAt = changeset.At,
            CreatedChangesetId = changeset.Id,
            UpdatedAt = changeset.At,
            UpdatedChangesetId = changeset.Id,
            Version = 1,
        };
        ci.Set(values);
        ci.IdentityKey = CiValidation.IdentityKey(cls, values);
        // Every field, as Fields() names them, without building Fields(): an import registers a hundred thousand CIs.
        var writer = SourcePrecedence.Name(source);
        ci.AttributeSources = new Dictionary<string, string>(CommonFields.Length + ci.Attributes.Count);
        foreach (var (field, _) in CommonFields) ci.AttributeSources[field] = writer;
        foreach (var key in ci.Attributes.Keys) ci.AttributeSources[AttributePrefix + key] = writer;
        return ci;
    }

    /// <summary>
    /// Applies <paramref name="values"/>, except fields last written by a source of higher precedence than
    /// <paramref name="source"/>; returns the changes (field, old, new), empty when nothing changed.
    /// </summary>
    public IReadOnlyList<(string Field, string? Old, string? New)> Update(CiClass cls, CiValues values, string? source,
        SourcePrecedence precedence, CmdbChangeset changeset)
    {
        var changes = PendingChanges(values, source, precedence);
        if (changes.Count == 0) return [];
        var accepted = Fields();
        foreach (var (field, _, now) in changes) accepted[field] = now;
        var writer = SourcePrecedence.Name(source);
        Set(ValuesOf(accepted));
        foreach (var (field, _, _) in changes) AttributeSources[field] = writer;
        IdentityKey = CiValidation.IdentityKey(cls, ValuesOf(Fields()));
        UpdatedAt = changeset.At;
        UpdatedChangesetId = changeset.Id;
        Version++;
        return changes;
    }

    /// <summary>
    /// What <see cref="Update"/> would change, changing nothing: an import decides from it whether a re-imported row
    /// needs a changeset at all.
    /// </summary>
    public IReadOnlyList<(string Field, string? Old, string? New)> PendingChanges(CiValues values, string? source, SourcePrecedence precedence)
    {
        var before = Fields();
        var proposed = FieldsOf(values);
        var writer = SourcePrecedence.Name(source);
        var changes = new List<(string, string?, string?)>();
        foreach (var field in before.Keys.Union(proposed.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(field);
            var now = proposed.GetValueOrDefault(field);
            if (old == now) continue;
            if (AttributeSources.TryGetValue(field, out var owner) && precedence.Outranks(owner, writer)) continue;
            changes.Add((field, old, now));
        }
        return changes;
    }

    public void CheckVersion(int? expected)
    {
        if (expected is { } v && v != Version)
            throw new ConcurrencyConflictException($"The CI has changed since version {v} (it is at version {Version}); reload it and try again.");
    }

    /// <summary>Every value as text, by field name: what changesets record and as-of reads undo.</summary>
    public SortedDictionary<string, string?> Fields() => FieldsOf(CurrentValues());

    /// <summary>The fields every CI has, each with how it reads as text; the attributes follow with <see cref="AttributePrefix"/>.</summary>
    private static readonly (string Field, Func<CiValues, string?> Text)[] CommonFields =
    [
        ("name", v => v.Name),
        ("status", v => v.Status.Display()),
        ("environment", v => v.Environment),
        ("criticality", v => v.Criticality.ToString(CultureInfo.InvariantCulture)),
        ("ownerGroupId", v => v.OwnerGroupId?.ToString()),
        ("supportGroupId", v => v.SupportGroupId?.ToString()),
        ("restricted", v => v.Restricted ? "true" : "false"),
        ("redundancy", v => v.Redundancy?.ToString()),
    ];

    public static SortedDictionary<string, string?> FieldsOf(CiValues v)
    {
        var f = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (field, text) in CommonFields) f[field] = text(v);
        foreach (var (k, value) in v.Attributes) f[AttributePrefix + k] = value;
        return f;
    }

    /// <summary>The inverse of <see cref="FieldsOf"/> (fields written by this class, so they parse).</summary>
    public static CiValues ValuesOf(IReadOnlyDictionary<string, string?> f)
    {
        CiStatusText.TryParse(f.GetValueOrDefault("status"), out var status);
        Cmdb.Redundancy? redundancy = Cmdb.Redundancy.TryParse(f.GetValueOrDefault("redundancy"), out var r, out _) ? r : null;
        return new CiValues
        {
            Name = f.GetValueOrDefault("name") ?? "",
            Status = status,
            Environment = f.GetValueOrDefault("environment"),
            Criticality = int.TryParse(f.GetValueOrDefault("criticality"), CultureInfo.InvariantCulture, out var c) ? c : 3,
            OwnerGroupId = Guid.TryParse(f.GetValueOrDefault("ownerGroupId"), out var o) ? o : null,
            SupportGroupId = Guid.TryParse(f.GetValueOrDefault("supportGroupId"), out var s) ? s : null,
            Restricted = f.GetValueOrDefault("restricted") == "true",
            Redundancy = redundancy,
            Attributes = f.Where(kv => kv.Key.StartsWith(AttributePrefix, StringComparison.Ordinal) && kv.Value is not null)
                .ToDictionary(kv => kv.Key[AttributePrefix.Length..], kv => kv.Value!),
        };
    }

    public CiValues CurrentValues() => new()
    {
        Name = Name,
        Status = Status,
        Environment = Environment,
        Criticality = Criticality,
        OwnerGroupId = OwnerGroupId,
        SupportGroupId = SupportGroupId,
        Restricted = Restricted,
        Redundancy = Redundancy,
        Attributes = Attributes,
    };

    private void Set(CiValues v)
    {
        Name = v.Name;
        Status = v.Status;
        Environment = v.Environment;
        Criticality = v.Criticality;
        OwnerGroupId = v.OwnerGroupId;
        SupportGroupId = v.SupportGroupId;
        Restricted = v.Restricted;
        RedundancyNeeded = v.Redundancy?.Needed;
        RedundancyIsPercent = v.Redundancy?.IsPercent ?? false;
        Attributes = new Dictionary<string, string>(v.Attributes);
    }
}
