using System.Globalization;
using Ical.Net;
using Ical.Net.DataTypes;

namespace Itsm.Domain.Changes.Scheduling;

/// <summary>How schedules read in conflict texts: times in UTC, days and lengths short.</summary>
internal static class ScheduleText
{
    private static readonly DayOfWeek[] Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary><c>from 2026-12-05 22:00 to 23:00 UTC</c>; the end's date is repeated only when it differs.</summary>
    public static string Range(DateTimeOffset start, DateTimeOffset end)
    {
        var s = start.UtcDateTime;
        var e = end.UtcDateTime;
        var endText = e.Date == s.Date ? e.ToString("HH:mm", CultureInfo.InvariantCulture) : Stamp(e);
        return $"from {Stamp(s)} to {endText} UTC";
    }

    private static string Stamp(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// A blackout's span in its own offset, e.g. <c>Dec 20 – Jan 3</c>: an end at midnight is exclusive, so the last day
    /// shown is the one before; other ends and starts show their time too.
    /// </summary>
    public static string Span(DateTimeOffset start, DateTimeOffset end)
    {
        static string Day(DateTimeOffset d) => d.ToString("MMM d", CultureInfo.InvariantCulture);
        static string WithTime(DateTimeOffset d) => d.ToString("MMM d HH:mm", CultureInfo.InvariantCulture);
        var startText = start.TimeOfDay == TimeSpan.Zero ? Day(start) : WithTime(start);
        var endText = end.TimeOfDay == TimeSpan.Zero && start.TimeOfDay == TimeSpan.Zero ? Day(end.AddDays(-1)) : WithTime(end);
        return startText == endText ? startText : $"{startText} – {endText}";
    }

    /// <summary><c>30h</c>, <c>1h30m</c>, <c>45m</c>.</summary>
    public static string Length(TimeSpan duration)
    {
        var hours = (long)duration.TotalHours;
        var minutes = duration.Minutes;
        return (hours, minutes) switch
        {
            (0, _) => $"{minutes}m",
            (_, 0) => $"{hours}h",
            _ => $"{hours}h{minutes}m",
        };
    }

    /// <summary>
    /// The days of a plain daily or weekly rule, e.g. <c>Sat, Sun</c>, <c>Mon–Fri</c> or <c>Daily</c>; null for any
    /// other rule, which is then shown as written.
    /// </summary>
    public static string? Days(RecurrencePattern p)
    {
        if (p.Interval > 1 || p.Count is not null || p.ByMonth.Count > 0 || p.ByMonthDay.Count > 0 || p.ByYearDay.Count > 0
            || p.ByWeekNo.Count > 0 || p.BySetPosition.Count > 0 || p.ByDay.Any(d => d.Offset is not null))
            return null;
        if (p.Frequency == FrequencyType.Daily && p.ByDay.Count == 0) return "Daily";
        if (p.Frequency is not (FrequencyType.Daily or FrequencyType.Weekly) || p.ByDay.Count == 0) return null;
        var days = p.ByDay.Select(d => d.DayOfWeek).ToHashSet();
        if (days.Count == 7) return "Daily";
        // Runs of three or more days in a row read as a range (Mon–Fri); shorter runs are listed.
        var parts = new List<string>();
        for (var i = 0; i < Week.Length; i++)
        {
            if (!days.Contains(Week[i])) continue;
            var j = i;
            while (j + 1 < Week.Length && days.Contains(Week[j + 1])) j++;
            if (j - i >= 2) parts.Add($"{Short(Week[i])}–{Short(Week[j])}");
            else parts.AddRange(Week[i..(j + 1)].Select(Short));
            i = j;
        }
        return string.Join(", ", parts);
    }

    private static string Short(DayOfWeek day) => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(day);
}
