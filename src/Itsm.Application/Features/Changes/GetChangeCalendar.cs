using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>A change on the calendar: its planned window and what people need at a glance.</summary>
public sealed record CalendarEntry(
    string Number, string ShortDescription, string Type, string State, string StateLabel, string? Risk, string? RiskLabel,
    DateTimeOffset Start, DateTimeOffset End, string? ImplementerName);

/// <summary>
/// A blackout on the calendar: no change should be planned inside it (for the services or CIs it names). <see cref="Kind"/>
/// is global, services or cis; <see cref="Names"/> are the services or CIs the viewer may see, <see cref="HiddenNames"/>
/// how many others it names (restricted CIs are counted, never named); <see cref="Scope"/> says it for people.
/// </summary>
public sealed record CalendarBlackout(string Id, string Label, DateTimeOffset Start, DateTimeOffset End, string Scope, string Kind,
    IReadOnlyList<string> Names, int HiddenNames);

/// <summary>One occurrence of a maintenance window, in UTC.</summary>
public sealed record CalendarOccurrence(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// A maintenance window with its occurrences in the period: when changes to the CI classes and CIs it names may be
/// implemented. <see cref="Cis"/> are the named CIs the viewer may see, <see cref="HiddenCis"/> how many others it names;
/// <see cref="Scope"/> says it for people (the classes by their names).
/// </summary>
public sealed record CalendarMaintenanceWindow(string Id, string Label, string Schedule, IReadOnlyList<string> Classes, IReadOnlyList<string> Cis,
    int HiddenCis, string Scope, IReadOnlyList<CalendarOccurrence> Occurrences);

public sealed record ChangeCalendarView(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CalendarEntry> Changes, IReadOnlyList<CalendarBlackout> Blackouts,
    IReadOnlyList<CalendarMaintenanceWindow> MaintenanceWindows);

/// <summary>
/// The change calendar between two times: every change whose planned window overlaps [From, To), canceled ones left out,
/// earliest first, the blackouts in that time and the maintenance windows' occurrences in it. At most <see cref="MaxDays"/>
/// days at once (a month view and its edges).
/// </summary>
[AuthorizeRoles]
public sealed record GetChangeCalendar(DateTimeOffset From, DateTimeOffset To) : IRequest<ChangeCalendarView>
{
    public const int MaxDays = 93;
    public const int MaxEntries = 5000;
}

public sealed class GetChangeCalendarValidator : IRequestValidator<GetChangeCalendar>
{
    public IEnumerable<(string, string)> Validate(GetChangeCalendar r)
    {
        if (r.To <= r.From) yield return ("to", "'to' must be after 'from'.");
        else if (r.To - r.From > TimeSpan.FromDays(GetChangeCalendar.MaxDays))
            yield return ("to", $"The calendar shows at most {GetChangeCalendar.MaxDays} days at once.");
    }
}

public sealed class GetChangeCalendarHandler(ICurrentUser user, ChangeCalendarReader reader)
    : IRequestHandler<GetChangeCalendar, ChangeCalendarView>
{
    public Task<ChangeCalendarView> Handle(GetChangeCalendar r, CancellationToken ct) => reader.ReadAsync(user.Actor, r.From, r.To, ct);
}

/// <summary>Reads the calendar for a person (the page, the API and the ICS feed share it).</summary>
public sealed class ChangeCalendarReader(IItsmDbContext db, IProcessCatalog processes, ChangeWindows windows, CmdbModel model)
{
    public async Task<ChangeCalendarView> ReadAsync(Actor actor, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, actor);
        var process = processes.For(TicketKind.Change);
        var rows = await db.Changes.AsNoTracking()
            .Where(c => c.PlannedStart < to && c.PlannedEnd > from && c.State != Canceled)
            .OrderBy(c => c.PlannedStart).ThenBy(c => c.Number)
            .Take(GetChangeCalendar.MaxEntries)
            .Select(c => new { c.Number, c.ShortDescription, c.Type, c.State, c.Risk, c.PlannedStart, c.PlannedEnd, c.ImplementerName })
            .ToListAsync(ct);
        var entries = rows.Select(c => new CalendarEntry(c.Number, c.ShortDescription, Change.TypeId(c.Type), c.State,
            process.State(c.State).Label, c.Risk?.Id(), c.Risk?.Label(), c.PlannedStart!.Value, c.PlannedEnd!.Value, c.ImplementerName)).ToList();
        var overlapping = windows.Blackouts.Where(b => b.Overlaps(from, to)).OrderBy(b => b.Start).ToList();
        var seen = await SeenNamesAsync(actor, overlapping.SelectMany(b => b.Names).Concat(windows.Maintenance.SelectMany(m => m.CiNames)), ct);
        var blackouts = new List<CalendarBlackout>();
        foreach (var b in overlapping)
        {
            var names = b.Names.Where(seen.Contains).ToList();
            // A blackout that names nothing the viewer may see freezes nothing they could plan (and its label may name what they may not see).
            if (b.Scope != BlackoutScope.Global && names.Count == 0) continue;
            var hidden = b.Names.Count - names.Count;
            var noun = b.Scope == BlackoutScope.Services ? "service" : "CI";
            var scope = b.Scope == BlackoutScope.Global ? "everything"
                : string.Join(", ", names) + (hidden == 0 ? "" : $" and {hidden} other {noun}{(hidden == 1 ? "" : "s")}");
            blackouts.Add(new CalendarBlackout(b.Id, b.Label, b.Start, b.End, scope, Kind(b.Scope), names, hidden));
        }
        return new ChangeCalendarView(from, to, entries, blackouts, Maintenance(from, to, seen));
    }

    /// <summary>
    /// Every maintenance window with its occurrences in [from, to), not only those of the changes shown: the windows are the
    /// few of change-windows.yaml, held in memory, and a window recurs at most daily (its reader refuses BYHOUR and more frequent
    /// rules), so this is at most one occurrence per window per day of the period (93 days at most), with no query, where
    /// finding the changes' CIs' windows would read the CIs of up to 5,000 changes.
    /// </summary>
    private List<CalendarMaintenanceWindow> Maintenance(DateTimeOffset from, DateTimeOffset to, HashSet<string> seen) =>
        windows.Maintenance
            .Select(m => (Window: m, Cis: m.CiNames.Where(seen.Contains).ToList()))
            // A window only for CIs the viewer may not see is not theirs to read.
            .Where(x => x.Window.ClassCodes.Count > 0 || x.Cis.Count > 0)
            .Select(x => new CalendarMaintenanceWindow(x.Window.Id, x.Window.Label, x.Window.Describe(), x.Window.ClassCodes, x.Cis,
                x.Window.CiNames.Count - x.Cis.Count, MaintenanceScope(x.Window.ClassCodes, x.Cis, x.Window.CiNames.Count - x.Cis.Count),
                x.Window.Occurrences(from, to).Take(MaxOccurrences).Select(o => new CalendarOccurrence(o.Start, o.End)).ToList()))
            .ToList();

    /// <summary>
    /// Of the CI and service names the windows are written with, those the viewer may see by name: a CI (not retired) has
    /// exactly that name and none of that name is restricted from them. Names no CI has are left out too (they freeze nothing),
    /// so a name written in another case than a restricted CI's is not shown either. One query, for the few names the file holds.
    /// </summary>
    private async Task<HashSet<string>> SeenNamesAsync(Actor actor, IEnumerable<string> written, CancellationToken ct)
    {
        var cis = await db.NamedAsync(model, written.Distinct(StringComparer.Ordinal).ToList(), ct);
        return cis.GroupBy(c => c.Name, StringComparer.Ordinal)
            .Where(g => g.All(c => actor.MaySee(c.Restricted, c.OwnerGroupId, c.SupportGroupId)))
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>"Virtual machine, Hypervisor host, db-01 and 2 other CIs": the classes by their names, then the CIs.</summary>
    private string MaintenanceScope(IReadOnlyList<string> classes, IReadOnlyList<string> cis, int hidden)
    {
        var named = classes.Select(code => model.FindClass(code)?.Name ?? code).Concat(cis).ToList();
        var others = hidden == 0 ? "" : $"{hidden} other CI{(hidden == 1 ? "" : "s")}";
        return named.Count == 0 ? others : string.Join(", ", named) + (others.Length == 0 ? "" : " and " + others);
    }

    private static string Kind(BlackoutScope scope) => scope switch
    {
        BlackoutScope.Services => "services",
        BlackoutScope.Cis => "cis",
        _ => "global",
    };

    /// <summary>A daily window over the longest period is 94 occurrences; this only guards against a rule the reader let through.</summary>
    private const int MaxOccurrences = 200;
    private const string Canceled = "canceled";
}
