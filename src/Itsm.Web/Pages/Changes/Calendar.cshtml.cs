using System.Globalization;
using Itsm.Application.Features.Changes;
using Itsm.Domain.Common;
using Itsm.Web.Api;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Changes;

/// <summary>
/// The change calendar: a month (weeks from Monday) or a week of planned changes and blackouts, in UTC like every
/// time in the app, with previous / next / today; and the panel that makes or revokes the person's ICS feed link.
/// A date or view the page cannot read is said at the top, and the current month is shown instead.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class CalendarModel(IMediator mediator, IClock clock) : PageModel
{
    public const string PagePath = "/Changes/Calendar";
    public const string MonthView = "month", WeekView = "week";
    public const string DateFormat = "yyyy-MM-dd";
    // Far enough for any plan, near enough that a month's grid and its neighbours never leave DateOnly's range.
    private static readonly DateOnly FirstDate = new(1900, 1, 1), LastDate = new(9998, 12, 31);

    [BindProperty(SupportsGet = true, Name = "view")] public string? ViewParameter { get; set; }
    [BindProperty(SupportsGet = true, Name = "date")] public string? DateParameter { get; set; }

    /// <summary>"month" or "week", after the query has been read.</summary>
    public string CurrentView { get; private set; } = MonthView;
    public bool IsWeek => CurrentView == WeekView;
    /// <summary>The day the view is about (its month, or its week), and today (UTC).</summary>
    public DateOnly Anchor { get; private set; }
    public DateOnly Today { get; private set; }
    /// <summary>The days shown: whole weeks from Monday, [First, End).</summary>
    public DateOnly First { get; private set; }
    public DateOnly End { get; private set; }
    public IReadOnlyList<CalendarDay> Days { get; private set; } = [];
    public ChangeCalendarView Calendar { get; private set; } = new(default, default, [], [], []);
    public CalendarLinkStatus Link { get; private set; } = new(false, null);
    /// <summary>The address of a link just made: shown in this one answer only (only its hash is kept).</summary>
    public string? IssuedUrl { get; private set; }

    /// <summary>One day of the grid with the changes and blackouts that touch it.</summary>
    public sealed record CalendarDay(DateOnly Date, bool InPeriod, bool IsToday, IReadOnlyList<CalendarEntry> Changes, IReadOnlyList<CalendarBlackout> Blackouts);

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    public Task<IActionResult> OnPostSubscribeAsync() => this.SendAsync(async () =>
    {
        var issued = await mediator.Send(new IssueChangeCalendarLink());
        IssuedUrl = ChangeEndpoints.FeedUrl(Request, issued.Secret);
        // The secret is in this page: no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        return await LoadAsync();
    }, LoadAsync);

    public Task<IActionResult> OnPostRevokeAsync() => this.SendAsync(async () =>
    {
        await mediator.Send(new RevokeChangeCalendarLink());
        this.SetStatusMessage("Your calendar link is revoked: calendar programs that use it get nothing from now on.");
        return RedirectToPage(PagePath, RouteValues(CurrentViewParameter(), ValidDateParameter()));
    }, LoadAsync);

    private async Task<IActionResult> LoadAsync()
    {
        ReadQuery();
        Calendar = await mediator.Send(new GetChangeCalendar(Utc(First), Utc(End)));
        Days = Enumerable.Range(0, End.DayNumber - First.DayNumber).Select(i => First.AddDays(i)).Select(d =>
        {
            var (from, to) = (Utc(d), Utc(d.AddDays(1)));
            return new CalendarDay(d, IsWeek || d.Month == Anchor.Month, d == Today,
                Calendar.Changes.Where(c => c.Start < to && c.End > from).ToList(),
                Calendar.Blackouts.Where(b => b.Start < to && b.End > from).ToList());
        }).ToList();
        Link = await mediator.Send(new GetChangeCalendarLink());
        return Page();
    }

    /// <summary>The view and the date from the query; what cannot be read is said and replaced by the default.</summary>
    private void ReadQuery()
    {
        Today = DateOnly.FromDateTime(clock.UtcNow.UtcDateTime);
        CurrentView = MonthView;
        if (!string.IsNullOrEmpty(ViewParameter))
        {
            if (ViewParameter is MonthView or WeekView) CurrentView = ViewParameter;
            else ModelState.AddModelError("view", "The calendar has a month and a week view; showing the month.");
        }
        Anchor = Today;
        if (!string.IsNullOrEmpty(DateParameter))
        {
            if (ParseDate(DateParameter) is { } date) Anchor = date;
            else ModelState.AddModelError("date", $"Give the date as {DateFormat}, between {FirstDate.ToString(DateFormat, CultureInfo.InvariantCulture)} and " +
                                                  $"{LastDate.ToString(DateFormat, CultureInfo.InvariantCulture)}; showing today instead.");
        }
        if (IsWeek)
        {
            First = Monday(Anchor);
            End = First.AddDays(7);
        }
        else
        {
            var firstOfMonth = new DateOnly(Anchor.Year, Anchor.Month, 1);
            First = Monday(firstOfMonth);
            End = Monday(firstOfMonth.AddMonths(1).AddDays(-1)).AddDays(7);
        }
    }

    private static DateOnly? ParseDate(string text) =>
        DateOnly.TryParseExact(text.Trim(), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d >= FirstDate && d <= LastDate ? d : null;

    private static DateOnly Monday(DateOnly d) => d.AddDays(-(((int)d.DayOfWeek + 6) % 7));

    private static DateTimeOffset Utc(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));

    /// <summary>The view to come back to after a post (read from the query: a post does not load the calendar).</summary>
    private string? CurrentViewParameter() => ViewParameter == WeekView ? WeekView : null;

    private string? ValidDateParameter() => DateParameter is { } d && ParseDate(d) is { } date ? Format(date) : null;

    private static object RouteValues(string? view, string? date) => new { view, date };

    public static string Format(DateOnly d) => d.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The same view on another date; today's link carries no date.</summary>
    public string LinkTo(string view, DateOnly? date) =>
        Url.Page(PagePath, RouteValues(view == WeekView ? WeekView : null, date is { } d ? Format(d) : null))!;

    public string PreviousLink => LinkTo(CurrentView, IsWeek ? Anchor.AddDays(-7) : FirstOfMonth.AddMonths(-1));
    public string NextLink => LinkTo(CurrentView, IsWeek ? Anchor.AddDays(7) : FirstOfMonth.AddMonths(1));
    public string TodayLink => LinkTo(CurrentView, null);
    private DateOnly FirstOfMonth => new(Anchor.Year, Anchor.Month, 1);
    /// <summary>The other view keeps the day in view.</summary>
    public string MonthLink => LinkTo(MonthView, Anchor == Today ? null : Anchor);
    public string WeekLink => LinkTo(WeekView, Anchor == Today ? null : Anchor);

    /// <summary>"December 2026", or "Week 49: 30 Nov – 6 Dec 2026".</summary>
    public string Title => IsWeek
        ? $"Week {ISOWeek.GetWeekOfYear(First.ToDateTime(TimeOnly.MinValue))}: {First.ToString(First.Year == End.AddDays(-1).Year ? "d MMM" : "d MMM yyyy", CultureInfo.InvariantCulture)} – " +
          End.AddDays(-1).ToString("d MMM yyyy", CultureInfo.InvariantCulture)
        : Anchor.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    public string PeriodNoun => IsWeek ? "week" : "month";

    /// <summary>How a change sits on a day: "09:00–11:00", "from 22:00", "until 06:00" or "all day" (UTC).</summary>
    public static string TimesOn(CalendarEntry c, DateOnly day) => TimesOn(c.Start, c.End, day);

    /// <summary>How [start, end) sits on a day, as <see cref="TimesOn(CalendarEntry, DateOnly)"/> says it for a change (a blackout's band too).</summary>
    public static string TimesOn(DateTimeOffset start, DateTimeOffset end, DateOnly day)
    {
        var (from, to) = (Utc(day), Utc(day.AddDays(1)));
        var (starts, ends) = (start >= from, end <= to);
        string Hm(DateTimeOffset t) => t == to ? "24:00" : t.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        return (starts, ends) switch
        {
            (true, true) when start == from && end == to => "all day",
            (true, true) => $"{Hm(start)}–{Hm(end)}",
            (true, false) => $"from {Hm(start)}",
            (false, true) => $"until {Hm(end)}",
            _ => "all day",
        };
    }

    public static string Weekday(DateOnly d) => d.ToString("ddd", CultureInfo.InvariantCulture);
    public static string DayLabel(DateOnly d) => d.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
    public static readonly IReadOnlyList<string> WeekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
}
