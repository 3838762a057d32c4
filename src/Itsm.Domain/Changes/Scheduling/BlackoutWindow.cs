using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Scheduling;

/// <summary>What a blackout window freezes.</summary>
public enum BlackoutScope
{
    /// <summary>Every change.</summary>
    Global = 0,
    /// <summary>Changes that impact one of the named business services.</summary>
    Services = 1,
    /// <summary>Changes that work on one of the named CIs.</summary>
    Cis = 2,
}

/// <summary>
/// A period in which no change may be implemented (a change freeze), e.g. the year-end freeze over the business services.
/// Written with CI and service names; <see cref="Resolve"/> turns them into CMDB ids once, so that
/// <see cref="Applies"/> compares ids only.
/// </summary>
public sealed class BlackoutWindow
{
    private readonly IReadOnlyDictionary<long, string>? _resolved;

    public BlackoutWindow(string id, string label, DateTimeOffset start, DateTimeOffset end, BlackoutScope scope, IReadOnlyList<string> names)
        : this(id, label, start, end, scope, names, null, [])
    {
        if (string.IsNullOrWhiteSpace(id)) throw new FieldValidationException("id", "A blackout window needs an id.");
        if (string.IsNullOrWhiteSpace(label)) throw new FieldValidationException("label", "A blackout window needs a label.");
        if (end <= start) throw new FieldValidationException("end", "A blackout window must end after it starts.");
        if (scope == BlackoutScope.Global && names.Count > 0)
            throw new FieldValidationException("scope", "A global blackout window names no services or CIs.");
        if (scope != BlackoutScope.Global && names.Count == 0)
            throw new FieldValidationException("scope", "A blackout window for services or CIs must name at least one.");
    }

    private BlackoutWindow(string id, string label, DateTimeOffset start, DateTimeOffset end, BlackoutScope scope,
        IReadOnlyList<string> names, IReadOnlyDictionary<long, string>? resolved, IReadOnlyList<string> unresolved)
    {
        Id = id;
        Label = label;
        Start = start;
        End = end;
        Scope = scope;
        Names = names;
        _resolved = resolved;
        UnresolvedNames = unresolved;
    }

    public string Id { get; }
    public string Label { get; }
    public DateTimeOffset Start { get; }
    /// <summary>Exclusive: a change may start at the end.</summary>
    public DateTimeOffset End { get; }
    public BlackoutScope Scope { get; }
    /// <summary>The business services' or CIs' names as written; empty for a global window.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Names the last <see cref="Resolve"/> found no CI for (they freeze nothing).</summary>
    public IReadOnlyList<string> UnresolvedNames { get; }
    /// <summary>Whether <see cref="Applies"/> can be asked: global windows always, others after <see cref="Resolve"/>.</summary>
    public bool IsResolved => Scope == BlackoutScope.Global || _resolved is not null;

    /// <summary>A copy with the names turned into CMDB ids: service names through <paramref name="serviceByName"/>, CI names through <paramref name="ciByName"/>.</summary>
    public BlackoutWindow Resolve(Func<string, long?> serviceByName, Func<string, long?> ciByName)
    {
        if (Scope == BlackoutScope.Global) return this;
        var lookup = Scope == BlackoutScope.Services ? serviceByName : ciByName;
        var ids = new Dictionary<long, string>();
        var unresolved = new List<string>();
        foreach (var name in Names)
        {
            if (lookup(name) is { } id) ids.TryAdd(id, name);
            else unresolved.Add(name);
        }
        return new BlackoutWindow(Id, Label, Start, End, Scope, Names, ids, unresolved);
    }

    /// <summary>Whether [<paramref name="start"/>, <paramref name="end"/>) overlaps the window (both half-open).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => start < End && Start < end;

    /// <summary>Whether the window freezes a change on these CIs that impacts these business services.</summary>
    /// <exception cref="InvalidOperationException">The window names services or CIs and was not resolved.</exception>
    public bool Applies(IEnumerable<long> ciIds, IEnumerable<long> serviceIds) =>
        Scope == BlackoutScope.Global || Matches(ciIds, serviceIds).Count > 0;

    /// <summary>The named services or CIs among these ids (id and name as written), in the order written; empty for a global window.</summary>
    public IReadOnlyList<(long Id, string Name)> Matches(IEnumerable<long> ciIds, IEnumerable<long> serviceIds)
    {
        if (Scope == BlackoutScope.Global) return [];
        if (_resolved is null)
            throw new InvalidOperationException($"The blackout window '{Id}' names {Scope.ToString().ToLowerInvariant()}; resolve their names to ids first.");
        var candidates = (Scope == BlackoutScope.Services ? serviceIds : ciIds).ToHashSet();
        return _resolved.Where(r => candidates.Contains(r.Key)).Select(r => (r.Key, r.Value)).ToList();
    }

    /// <summary>For people, e.g. <c>Dec 20 – Jan 3</c>.</summary>
    public string Describe() => ScheduleText.Span(Start, End);

    public override string ToString() => $"{Label} ({Describe()})";
}
