using System.Globalization;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Itsm.Domain.Common;
using NodaTime;
using IcalDuration = Ical.Net.DataTypes.Duration;

namespace Itsm.Domain.Changes.Scheduling;

/// <summary>
/// A recurring period in which changes to some CIs may be implemented, e.g. weekend nights for servers: an iCalendar
/// RRULE (<c>FREQ=WEEKLY;BYDAY=SA,SU</c>) gives the days, <see cref="StartTime"/> the local time of day in
/// <see cref="TimeZone"/> and <see cref="Duration"/> how long each occurrence lasts. The local start stays the same across
/// daylight-saving changes; the duration is elapsed time (RFC 5545), so a 22:00 + 6h window ends at 03:00 local on the
/// night the clocks go back and at 05:00 on the night they go forward. It applies to CIs by class code and/or by name.
/// </summary>
public sealed class MaintenanceWindow
{
    private static readonly IDateTimeZoneProvider Zones = DateTimeZoneProviders.Tzdb;
    private readonly RecurrencePattern _pattern;
    private readonly DateTimeZone _zone;

    public MaintenanceWindow(string id, string label, string recurrence, TimeOnly startTime, TimeSpan duration, string timeZone,
        IReadOnlyList<string> classCodes, IReadOnlyList<string> ciNames, DateOnly? since = null)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new FieldValidationException("id", "A maintenance window needs an id.");
        if (string.IsNullOrWhiteSpace(label)) throw new FieldValidationException("label", "A maintenance window needs a label.");
        if (RecurrenceFault(recurrence, since is not null) is { } rule) throw new FieldValidationException("recurrence", rule);
        if (DurationFault(duration) is { } length) throw new FieldValidationException("duration", length);
        if (TimeZoneFault(timeZone) is { } zone) throw new FieldValidationException("timeZone", zone);
        if (classCodes.Count == 0 && ciNames.Count == 0)
            throw new FieldValidationException("appliesTo", "A maintenance window must name CI classes, CIs or both.");
        Id = id;
        Label = label;
        Recurrence = Normalise(recurrence);
        StartTime = startTime;
        Duration = duration;
        TimeZone = timeZone;
        ClassCodes = classCodes;
        CiNames = ciNames;
        Since = since;
        _pattern = new RecurrencePattern(Recurrence);
        _zone = Zones[timeZone];
    }

    public string Id { get; }
    public string Label { get; }
    /// <summary>The RRULE without its optional <c>RRULE:</c> prefix, e.g. <c>FREQ=WEEKLY;BYDAY=SA,SU</c>.</summary>
    public string Recurrence { get; }
    public TimeOnly StartTime { get; }
    public TimeSpan Duration { get; }
    /// <summary>An IANA time zone id, e.g. <c>Europe/Berlin</c>.</summary>
    public string TimeZone { get; }
    public IReadOnlyList<string> ClassCodes { get; }
    public IReadOnlyList<string> CiNames { get; }
    /// <summary>The first day the rule counts from (its DTSTART); needed only when the rule's phase depends on it.</summary>
    public DateOnly? Since { get; }

    /// <summary>The occurrences that overlap [<paramref name="from"/>, <paramref name="to"/>), in order, in UTC.</summary>
    public IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Occurrences(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) yield break;
        // Without 'since' the rule does not depend on its DTSTART (RecurrenceFault makes sure), so evaluation starts
        // just before the first occurrence that can still overlap 'from', instead of walking up from a distant past.
        var anchor = Since ?? LocalDate(from - Duration).AddDays(-1);
        var evt = new CalendarEvent
        {
            DtStart = new CalDateTime(anchor, StartTime, TimeZone),
            Duration = IcalDuration.FromTimeSpanExact(Duration),
            // A fresh pattern per evaluation: the event takes ownership of it, and windows are shared across requests.
            RecurrenceRule = new RecurrencePattern(Recurrence),
        };
        var fromUtc = new CalDateTime(from.UtcDateTime, true);
        foreach (var occurrence in evt.GetOccurrences(fromUtc))
        {
            var start = new DateTimeOffset(occurrence.Period.StartTime.AsUtc, TimeSpan.Zero);
            if (start >= to) yield break;
            var end = start + Duration;
            if (end > from) yield return (start, end);
        }
    }

    /// <summary>Whether [<paramref name="start"/>, <paramref name="end"/>) lies wholly inside one occurrence.</summary>
    public bool Covers(DateTimeOffset start, DateTimeOffset end) =>
        end > start && Occurrences(start, end).Any(o => o.Start <= start && end <= o.End);

    /// <summary>Whether the window applies to a CI of this class or name (names and codes compare case-insensitively).</summary>
    public bool AppliesTo(string classCode, string name) =>
        CiNames.Contains(name, StringComparer.OrdinalIgnoreCase) || ClassCodes.Contains(classCode, StringComparer.OrdinalIgnoreCase);

    /// <summary>For people, e.g. <c>Sat, Sun 22:00–04:00 Europe/Berlin</c>.</summary>
    public string Describe()
    {
        var start = StartTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        var times = Duration < TimeSpan.FromDays(1)
            ? $"{start}–{StartTime.Add(Duration).ToString("HH:mm", CultureInfo.InvariantCulture)}"
            : $"{start} for {ScheduleText.Length(Duration)}";
        return $"{ScheduleText.Days(_pattern) ?? Recurrence} {times} {TimeZone}";
    }

    public override string ToString() => $"{Label} ({Describe()})";

    private DateOnly LocalDate(DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(_zone).Date.ToDateOnly();

    /// <summary>What is wrong with an RRULE for a maintenance window, or null when it is fine.</summary>
    /// <param name="hasSince">Whether the window gives the day its rule counts from; rules whose phase depends on it need one.</param>
    public static string? RecurrenceFault(string? recurrence, bool hasSince)
    {
        if (string.IsNullOrWhiteSpace(recurrence)) return "the recurrence has no rule; write an iCalendar RRULE such as FREQ=WEEKLY;BYDAY=SA,SU.";
        RecurrencePattern p;
        try
        {
            p = new RecurrencePattern(Normalise(recurrence));
        }
        catch (ArgumentException ex)
        {
            return $"'{recurrence}' is not a valid iCalendar RRULE: {ex.Message.Split(" (Parameter", 2)[0]}";
        }
        if (p.Frequency is < Ical.Net.FrequencyType.Daily)
            return $"'{recurrence}' recurs more often than daily; a maintenance window recurs DAILY, WEEKLY, MONTHLY or YEARLY.";
        if (p.ByHour.Count > 0 || p.ByMinute.Count > 0 || p.BySecond.Count > 0)
            return $"'{recurrence}' sets BYHOUR, BYMINUTE or BYSECOND; the time of day is the window's 'start'.";
        if (hasSince) return null;
        if (p.Interval > 1 || p.Count is not null)
            return $"'{recurrence}' uses INTERVAL or COUNT, which count from a first day; give 'since'.";
        var dayFixed = p.Frequency switch
        {
            Ical.Net.FrequencyType.Weekly => p.ByDay.Count > 0,
            Ical.Net.FrequencyType.Monthly => p.ByDay.Count > 0 || p.ByMonthDay.Count > 0,
            Ical.Net.FrequencyType.Yearly => p.ByYearDay.Count > 0 || p.ByWeekNo.Count > 0
                || (p.ByMonth.Count > 0 && (p.ByDay.Count > 0 || p.ByMonthDay.Count > 0)),
            _ => true,
        };
        return dayFixed ? null : $"'{recurrence}' does not say on which days (BYDAY, BYMONTHDAY, ...), so they would come from a first day; add them or give 'since'.";
    }

    public static string? DurationFault(TimeSpan duration) =>
        duration > TimeSpan.Zero ? null : "the duration must be positive.";

    /// <summary>What is wrong with a time zone id, or null when it is a known IANA id.</summary>
    public static string? TimeZoneFault(string? timeZone) =>
        timeZone is not null && Zones.GetZoneOrNull(timeZone) is not null
            ? null
            : $"unknown time zone '{timeZone}'; use an IANA id such as Europe/Berlin or UTC.";

    private static string Normalise(string recurrence)
    {
        var text = recurrence.Trim();
        return text.StartsWith("RRULE:", StringComparison.OrdinalIgnoreCase) ? text["RRULE:".Length..] : text;
    }
}
