using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Itsm.Application.Features.Changes;

namespace Itsm.Web.Api;

/// <summary>The change calendar as iCalendar (RFC 5545), for calendar programs subscribed to a personal link.</summary>
public static class ChangeCalendarIcs
{
    public const string MediaType = "text/calendar";

    public static string Write(ChangeCalendarView view, string baseUrl, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//Itsm//Change calendar//EN" };
        calendar.AddProperty("X-WR-CALNAME", "Itsm changes");
        foreach (var c in view.Changes)
        {
            calendar.Events.Add(new CalendarEvent
            {
                // Stable per change: a moved change updates the same event in the subscriber's calendar.
                Uid = $"{c.Number.ToLowerInvariant()}@itsm",
                Summary = $"{c.Number} {c.ShortDescription}",
                Description = $"{c.StateLabel}, {c.Type} change" + (c.RiskLabel is null ? "" : $", risk {c.RiskLabel}") +
                              (c.ImplementerName is null ? "" : $", implemented by {c.ImplementerName}") + $".\n{baseUrl}/Changes/{Uri.EscapeDataString(c.Number)}",
                DtStart = new CalDateTime(c.Start.UtcDateTime, true),
                DtEnd = new CalDateTime(c.End.UtcDateTime, true),
                DtStamp = new CalDateTime(now.UtcDateTime, true),
                Status = c.State is "assess" or "authorize" or "new" ? EventStatus.Tentative : EventStatus.Confirmed,
                Url = new Uri($"{baseUrl}/Changes/{Uri.EscapeDataString(c.Number)}"),
            });
        }
        foreach (var b in view.Blackouts)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"blackout-{b.Id}@itsm",
                Summary = $"Blackout: {b.Label}",
                Description = $"No changes to {b.Scope}.",
                DtStart = new CalDateTime(b.Start.UtcDateTime, true),
                DtEnd = new CalDateTime(b.End.UtcDateTime, true),
                DtStamp = new CalDateTime(now.UtcDateTime, true),
                Transparency = TransparencyType.Transparent,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
