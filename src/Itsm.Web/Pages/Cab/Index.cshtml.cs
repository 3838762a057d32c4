using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Cab;

/// <summary>
/// The CAB meetings, latest first (filtered by state), and for change managers the form that plans a new one: its
/// title and time, and the period whose changes awaiting the CAB make its agenda. Times are UTC, as everywhere.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, ICurrentUser user, IClock clock) : PageModel
{
    public const int PageSize = 25;
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("title", "Input.Title"), ("startsAt", "Input.StartTime"), ("endsAt", "Input.EndTime"),
        ("periodFrom", "Input.PeriodFrom"), ("periodTo", "Input.PeriodTo"), ("changeNumbers", "Input.ChangeNumbers"));

    [BindProperty(SupportsGet = true, Name = "state")] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty] public PlanInput Input { get; set; } = new();

    public Page<CabMeetingSummary> Results { get; private set; } = new([], 0, 1, PageSize);
    public bool MayPlan => PageRoles.MaySend<PlanCabMeeting>(user.Actor);
    /// <summary>The plan form opens by itself after a failed post.</summary>
    public bool PlanFailed { get; private set; }

    public static readonly IReadOnlyList<(string? Id, string Label)> States =
        [(null, "All"), ("planned", "Planned"), ("in-progress", "In progress"), ("closed", "Closed")];

    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Defaults();
        await ListAsync();
        return Page();
    }, async () =>
    {
        State = null;
        Defaults();
        await ListAsync();
        return Page();
    });

    public Task<IActionResult> OnPostPlanAsync()
    {
        PlanFailed = true;
        return this.SendAsync(async () =>
        {
            var i = Input;
            var meeting = await mediator.Send(new PlanCabMeeting
            {
                Title = i.Title,
                StartsAt = At(i.Date, i.StartTime),
                EndsAt = At(i.Date, i.EndTime),
                PeriodFrom = At(i.PeriodFrom, TimeOnly.MinValue),
                // The last day of the period is included: the period ends when the next day starts.
                PeriodTo = At(i.PeriodTo?.AddDays(1), TimeOnly.MinValue),
                ChangeNumbers = (i.ChangeNumbers ?? "").Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries),
            });
            this.SetStatusMessage(meeting.Agenda.Count == 0
                ? $"“{meeting.Title}” is planned. No change awaits the CAB in its period, so its agenda is empty."
                : $"“{meeting.Title}” is planned with {meeting.Agenda.Count} change{(meeting.Agenda.Count == 1 ? "" : "s")} on its agenda.");
            return RedirectToPage("/Cab/Meeting", new { id = meeting.Id });
        }, async () =>
        {
            State = null;
            await ListAsync();
            return Page();
        }, Fields);
    }

    private async Task ListAsync() =>
        Results = await mediator.Send(new ListCabMeetings
        {
            State = CabAccess.ParseState(State) is null ? null : State, Page = Math.Max(1, PageNumber), PageSize = PageSize,
        });

    /// <summary>Tomorrow 10:00–11:00 UTC, reviewing the week from tomorrow.</summary>
    private void Defaults()
    {
        var tomorrow = DateOnly.FromDateTime(clock.UtcNow.UtcDateTime).AddDays(1);
        Input = new PlanInput
        {
            Title = "CAB " + tomorrow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Date = tomorrow, StartTime = new TimeOnly(10, 0), EndTime = new TimeOnly(11, 0),
            PeriodFrom = tomorrow, PeriodTo = tomorrow.AddDays(6),
        };
    }

    private static DateTimeOffset? At(DateOnly? date, TimeOnly? time) =>
        date is { } d && time is { } t ? new DateTimeOffset(d.ToDateTime(t, DateTimeKind.Utc)) : null;

    public string Link(int page)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (CabAccess.ParseState(State) is not null) query.Add(new("state", State));
        if (page > 1) query.Add(new("p", page.ToString(CultureInfo.InvariantCulture)));
        return Url.Page("/Cab/Index") + QueryString.Create(query);
    }

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount,
        Results.Total == 0 ? "No meetings" : $"{Results.Total} meeting{(Results.Total == 1 ? "" : "s")}", Link);

    /// <summary>The plan form: dates and times in UTC; the period's last day is included.</summary>
    public sealed class PlanInput
    {
        public string? Title { get; set; }
        public DateOnly? Date { get; set; }
        public TimeOnly? StartTime { get; set; }
        public TimeOnly? EndTime { get; set; }
        public DateOnly? PeriodFrom { get; set; }
        public DateOnly? PeriodTo { get; set; }
        public string? ChangeNumbers { get; set; }
    }
}
