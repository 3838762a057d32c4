namespace Itsm.Domain.Changes.Scheduling;

/// <summary>
/// The maintenance and blackout windows of seed-data/reference/change-windows.yaml, with the lookups conflict detection
/// needs. Window ids are unique across both lists (a conflict names its window by id), and a CI class or CI name has at
/// most one maintenance window, so <see cref="For(long, string, string)"/> has one answer.
/// </summary>
public sealed class ChangeWindows
{
    private readonly Dictionary<string, MaintenanceWindow> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, MaintenanceWindow> _byClass = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>No windows: every time is allowed, nothing is frozen.</summary>
    public static ChangeWindows None { get; } = new([], []);

    /// <exception cref="ArgumentException">An id is used twice, or a class or CI name is in two maintenance windows.</exception>
    public ChangeWindows(IReadOnlyList<MaintenanceWindow> maintenance, IReadOnlyList<BlackoutWindow> blackouts)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in maintenance.Select(m => m.Id).Concat(blackouts.Select(b => b.Id)))
            if (!ids.Add(id)) throw new ArgumentException($"The window id '{id}' is used twice.", nameof(maintenance));
        foreach (var w in maintenance)
        {
            foreach (var name in w.CiNames)
                if (!_byName.TryAdd(name, w))
                    throw new ArgumentException($"The CI '{name}' is in the maintenance windows '{_byName[name].Id}' and '{w.Id}'.", nameof(maintenance));
            foreach (var code in w.ClassCodes)
                if (!_byClass.TryAdd(code, w))
                    throw new ArgumentException($"The class '{code}' is in the maintenance windows '{_byClass[code].Id}' and '{w.Id}'.", nameof(maintenance));
        }
        Maintenance = maintenance;
        Blackouts = blackouts;
    }

    public IReadOnlyList<MaintenanceWindow> Maintenance { get; }
    public IReadOnlyList<BlackoutWindow> Blackouts { get; }

    /// <summary>Whether every blackout can be asked <see cref="BlackoutWindow.Applies"/>.</summary>
    public bool IsResolved => Blackouts.All(b => b.IsResolved);

    /// <summary>
    /// The CI's maintenance window: the one naming the CI, else the one listing its class, else none (any time is allowed).
    /// Windows are written with names, so <paramref name="ciId"/> only identifies the CI to the caller's eyes; it is not matched.
    /// </summary>
    public MaintenanceWindow? For(long ciId, string classCode, string name) =>
        _byName.GetValueOrDefault(name) ?? _byClass.GetValueOrDefault(classCode);

    public MaintenanceWindow? For(PlanCi ci) => For(ci.Id, ci.ClassCode, ci.Name);

    /// <summary>A copy whose blackouts have their service and CI names resolved to CMDB ids (see <see cref="BlackoutWindow.Resolve"/>).</summary>
    public ChangeWindows Resolve(Func<string, long?> serviceByName, Func<string, long?> ciByName) =>
        new(Maintenance, Blackouts.Select(b => b.Resolve(serviceByName, ciByName)).ToList());
}
