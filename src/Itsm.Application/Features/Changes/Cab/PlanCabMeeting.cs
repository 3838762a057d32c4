using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>
/// Plans a CAB meeting. Its agenda is every change awaiting the CAB whose planned start falls in the period (in the
/// order they start), then the changes named in <see cref="ChangeNumbers"/> that are not on it already.
/// </summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record PlanCabMeeting : IRequest<CabMeetingView>, ICommand
{
    public const int MaxChangeNumbers = CabMeeting.MaxItems;

    public string? Title { get; init; }
    public DateTimeOffset? StartsAt { get; init; }
    public DateTimeOffset? EndsAt { get; init; }
    public DateTimeOffset? PeriodFrom { get; init; }
    public DateTimeOffset? PeriodTo { get; init; }
    public IReadOnlyList<string> ChangeNumbers { get; init; } = [];
}

public sealed class PlanCabMeetingValidator : IRequestValidator<PlanCabMeeting>
{
    // The same checks as the domain's, before any query runs; the count of named changes is checked here, the agenda's when it is built.
    public IEnumerable<(string, string)> Validate(PlanCabMeeting r) =>
        CabMeeting.Problems(r.Title, r.StartsAt, r.EndsAt, r.PeriodFrom, r.PeriodTo, r.ChangeNumbers.Count)
            .SelectMany(e => e.Value.Select(m => (e.Key, m)));
}

public sealed class PlanCabMeetingHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IMediator mediator)
    : IRequestHandler<PlanCabMeeting, CabMeetingView>
{
    public async Task<CabMeetingView> Handle(PlanCabMeeting r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var awaiting = await CabAgenda.AwaitingAsync(db, r.PeriodFrom!.Value, r.PeriodTo!.Value, ct);
        var named = await NamedAsync(r.ChangeNumbers, actor, ct);
        var meeting = CabMeeting.Plan(r.Title, r.StartsAt!.Value, r.EndsAt!.Value, r.PeriodFrom.Value, r.PeriodTo.Value,
            awaiting.Concat(named.Where(n => awaiting.All(a => a.ChangeId != n.ChangeId))).ToList(), actor, now);
        db.CabMeetings.Add(meeting);
        await db.SaveChangesAsync(ct);
        return await mediator.Send(new GetCabMeeting(meeting.Id), ct);
    }

    /// <summary>The changes asked for by number, in the order given; every one must exist and still be open.</summary>
    private async Task<List<CabAgendaEntry>> NamedAsync(IReadOnlyList<string> numbers, Actor actor, CancellationToken ct)
    {
        if (numbers.Count == 0) return [];
        var errors = new List<string>();
        var keys = new List<string>();
        foreach (var number in numbers)
        {
            if (CabAgenda.ChangeKey(number) is { } key) keys.Add(key);
            else errors.Add(CabAgenda.NotAChangeNumber(number));
        }
        var distinct = keys.Distinct().ToList();
        var found = await db.Changes.AsNoTracking().VisibleTo(TicketKind.Change, actor).Where(c => distinct.Contains(c.Number))
            .Select(c => new { c.Id, c.Number, c.ClosedAt, c.State }).ToListAsync(ct);
        foreach (var key in distinct)
        {
            var change = found.FirstOrDefault(c => c.Number == key);
            if (change is null) errors.Add($"There is no change {key}.");
            else if (change.ClosedAt is not null) errors.Add($"{key} is {change.State}: a closed change is not for the CAB any more.");
        }
        if (errors.Count > 0) throw new FieldValidationException(new Dictionary<string, string[]> { ["changeNumbers"] = errors.ToArray() });
        return distinct.Select(k => found.Single(c => c.Number == k)).Select(c => new CabAgendaEntry(c.Id, c.Number)).ToList();
    }
}

/// <summary>Which changes await the CAB.</summary>
public static class CabAgenda
{
    /// <summary>The approver set of the Change Advisory Board (<see cref="ApproverSetDefinition.Key"/> of the CAB source).</summary>
    public const string CabSetKey = "cab";

    /// <summary>
    /// The changes awaiting the CAB with a planned start in [from, to): being authorised, and the latest round of their
    /// approvals still has a CAB approval requested or waiting for its stage. Ordered by planned start, then number.
    /// </summary>
    public static async Task<List<CabAgendaEntry>> AwaitingAsync(IItsmDbContext db, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // Stored in UTC: compare in UTC (SQLite keeps the times as sortable numbers of one offset).
        var (start, end) = (from.ToUniversalTime(), to.ToUniversalTime());
        var candidates = await db.Changes.AsNoTracking()
            .Where(c => c.State == Change.AuthorizeState && c.PlannedStart >= start && c.PlannedStart < end)
            .Select(c => new { c.Id, c.Number, c.PlannedStart })
            .ToListAsync(ct);
        if (candidates.Count == 0) return [];
        var awaiting = await WithOpenCabApprovalAsync(db, candidates.Select(c => c.Id).ToList(), ct);
        return candidates.Where(c => awaiting.Contains(c.Id))
            .OrderBy(c => c.PlannedStart).ThenBy(c => c.Number, StringComparer.Ordinal)
            .Select(c => new CabAgendaEntry(c.Id, c.Number))
            .ToList();
    }

    /// <summary>The number as changes are stored (<see cref="TicketAccess.Key"/>), or null when the text is not a change number.</summary>
    public static string? ChangeKey(string number)
    {
        try
        {
            return TicketAccess.Key(TicketKind.Change, number);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>The field error for a text that is not a change number, cut short if long.</summary>
    public static string NotAChangeNumber(string number) => $"'{(number.Length > 24 ? number[..24] + "…" : number)}' is not a change number (CHG…).";

    /// <summary>Whether the change awaits the CAB, whenever it is planned (the same test as <see cref="AwaitingAsync"/>'s).</summary>
    public static async Task<bool> AwaitsAsync(IItsmDbContext db, Change change, CancellationToken ct) =>
        change.State == Change.AuthorizeState && (await WithOpenCabApprovalAsync(db, [change.Id], ct)).Contains(change.Id);

    /// <summary>Those of the changes whose latest round of approvals still has a CAB approval requested or waiting for its stage.</summary>
    private static async Task<HashSet<Guid>> WithOpenCabApprovalAsync(IItsmDbContext db, List<Guid> ids, CancellationToken ct)
    {
        var rows = await db.ChangeApprovals.AsNoTracking().Where(a => ids.Contains(a.ChangeId))
            .Select(a => new { a.ChangeId, a.Round, a.SetKey, a.State })
            .ToListAsync(ct);
        return rows.GroupBy(a => a.ChangeId)
            .Where(g =>
            {
                var latest = g.Max(a => a.Round);
                return g.Any(a => a.Round == latest && a.SetKey == CabSetKey && a.State is ApprovalState.Requested or ApprovalState.Waiting);
            })
            .Select(g => g.Key)
            .ToHashSet();
    }
}
