using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Scheduling;
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

/// <summary>A blackout on the calendar: no change should be planned inside it (for the services or CIs it names).</summary>
public sealed record CalendarBlackout(string Id, string Label, DateTimeOffset Start, DateTimeOffset End, string Scope);

public sealed record ChangeCalendarView(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CalendarEntry> Changes, IReadOnlyList<CalendarBlackout> Blackouts);

/// <summary>
/// The change calendar between two times: every change whose planned window overlaps [From, To), canceled ones left out,
/// earliest first, and the blackouts in that time. At most <see cref="MaxDays"/> days at once (a month view and its edges).
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
public sealed class ChangeCalendarReader(IItsmDbContext db, IProcessCatalog processes, ChangeWindows windows)
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
        var blackouts = windows.Blackouts.Where(b => b.Overlaps(from, to)).OrderBy(b => b.Start)
            .Select(b => new CalendarBlackout(b.Id, b.Label, b.Start, b.End, b.Scope switch
            {
                BlackoutScope.Global => "everything",
                _ => string.Join(", ", b.Names),
            })).ToList();
        return new ChangeCalendarView(from, to, entries, blackouts);
    }

    private const string Canceled = "canceled";
}
