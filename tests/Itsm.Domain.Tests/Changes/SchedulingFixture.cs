using System.Collections;
using System.Globalization;
using Itsm.Domain.Changes.Scheduling;

namespace Itsm.Domain.Tests.Changes;

/// <summary>
/// A small estate for the scheduling tests: a payroll application on a database on a SAN, a core switch, and the
/// Payroll business service; weekend nights for databases, weekday early mornings for network devices.
/// </summary>
internal static class SchedulingFixture
{
    public static readonly PlanCi CoreSwitch = new(1, "dc1-core-01", "network-device");
    public static readonly PlanCi PayrollDb = new(2, "db-payroll-01", "database");
    public static readonly PlanCi San = new(3, "dc1-san-01", "storage");
    public static readonly PlanCi PayrollApp = new(4, "app-payroll", "application");
    public static readonly PlanCi SanShelf = new(5, "dc1-san-01-shelf-2", "storage");
    public const long PayrollService = 100;
    public const long ShopService = 101;

    private static readonly Dictionary<long, string> CiNames = new[] { CoreSwitch, PayrollDb, San, PayrollApp, SanShelf }.ToDictionary(c => c.Id, c => c.Name);

    // app-payroll — db-payroll-01 — dc1-san-01 — dc1-san-01-shelf-2; both directions, as the CMDB neighbourhood gives them.
    private static readonly Dictionary<long, long[]> Edges = new()
    {
        [PayrollApp.Id] = [PayrollDb.Id],
        [PayrollDb.Id] = [PayrollApp.Id, San.Id],
        [San.Id] = [PayrollDb.Id, SanShelf.Id],
        [SanShelf.Id] = [San.Id],
    };

    public static IEnumerable<long> Neighbours(long ciId) => Edges.GetValueOrDefault(ciId) ?? [];

    public static string? NameOf(long ciId) => CiNames.GetValueOrDefault(ciId);

    public static DateTimeOffset Utc(string text) =>
        DateTimeOffset.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static MaintenanceWindow WeekendNights(params string[] classes) =>
        new("weekend-nights", "Weekend nights", "FREQ=WEEKLY;BYDAY=SA,SU", new TimeOnly(22, 0), TimeSpan.FromHours(6), "Europe/Berlin",
            classes.Length == 0 ? ["database", "server"] : classes, []);

    public static MaintenanceWindow WeekdayMornings() =>
        new("weekday-early-mornings", "Weekday early mornings", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", new TimeOnly(5, 0), TimeSpan.FromHours(2),
            "Europe/Berlin", ["network-device"], []);

    public static BlackoutWindow YearEndFreeze() =>
        new("year-end-freeze", "Year-end freeze", new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.FromHours(1)), BlackoutScope.Services, ["Payroll"]);

    /// <summary>Resolves service and CI names against the fixture's estate.</summary>
    public static ChangeWindows Resolved(ChangeWindows windows) =>
        windows.Resolve(
            name => name switch { "Payroll" => PayrollService, "Online Shop" => ShopService, _ => null },
            name => CiNames.FirstOrDefault(c => c.Value == name) is { Value: not null } hit ? hit.Key : null);

    public static ChangeWindows ResolvedWindows(IReadOnlyList<MaintenanceWindow>? maintenance = null, IReadOnlyList<BlackoutWindow>? blackouts = null) =>
        Resolved(new ChangeWindows(maintenance ?? [], blackouts ?? []));

    public static PlannedChange Plan(DateTimeOffset start, DateTimeOffset end, IReadOnlyList<PlanCi> cis, IReadOnlyList<long>? services = null,
        string? implementer = null, Guid? id = null) =>
        new(id ?? Guid.Parse("00000000-0000-0000-0000-000000000001"), start, end, cis, services ?? [], implementer);

    public static ScheduledChange Other(string number, string description, DateTimeOffset start, DateTimeOffset end, IReadOnlyList<long> ciIds,
        string? implementerId = null, string? implementerName = null, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), number, description, start, end, ciIds, implementerId, implementerName);
}

/// <summary>A list that counts how many items were read from it, to show a caller reads each item once.</summary>
internal sealed class CountingList<T>(IReadOnlyList<T> items) : IReadOnlyList<T>
{
    public int Reads { get; private set; }

    public T this[int index]
    {
        get
        {
            Reads++;
            return items[index];
        }
    }

    public int Count => items.Count;

    public IEnumerator<T> GetEnumerator()
    {
        foreach (var item in items)
        {
            Reads++;
            yield return item;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
