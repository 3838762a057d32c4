using Itsm.Application.Common;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>The CAB meetings, latest start first; <see cref="State"/> (planned, in-progress, closed) narrows the list.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListCabMeetings : IRequest<Page<CabMeetingSummary>>
{
    public const int MaxPageSize = 100;
    public string? State { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 25;
}

public sealed class ListCabMeetingsValidator : IRequestValidator<ListCabMeetings>
{
    public IEnumerable<(string, string)> Validate(ListCabMeetings r)
    {
        if (r.State is not null && CabAccess.ParseState(r.State) is null) yield return ("state", "The state is planned, in-progress or closed.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > ListCabMeetings.MaxPageSize) yield return ("pageSize", $"Between 1 and {ListCabMeetings.MaxPageSize}.");
    }
}

public sealed class ListCabMeetingsHandler(IItsmDbContext db) : IRequestHandler<ListCabMeetings, Page<CabMeetingSummary>>
{
    public async Task<Page<CabMeetingSummary>> Handle(ListCabMeetings r, CancellationToken ct)
    {
        var query = db.CabMeetings.AsNoTracking();
        if (CabAccess.ParseState(r.State) is { } state) query = query.Where(m => m.State == state);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(m => m.StartsAt).ThenByDescending(m => m.Id)
            .Skip((r.Page - 1) * r.PageSize).Take(r.PageSize)
            .Select(m => new { m.Id, m.Title, m.StartsAt, m.EndsAt, m.PeriodFrom, m.PeriodTo, m.State, m.CreatedByName, m.Version })
            .ToListAsync(ct);
        var ids = rows.Select(m => m.Id).ToList();
        var counts = (await db.CabAgendaItems.AsNoTracking().Where(i => ids.Contains(i.MeetingId))
                .Select(i => new { i.MeetingId, i.Decision }).ToListAsync(ct))
            .ToLookup(i => i.MeetingId);
        return new Page<CabMeetingSummary>(rows.Select(m => new CabMeetingSummary(m.Id, m.Title, m.StartsAt, m.EndsAt, m.PeriodFrom, m.PeriodTo,
            CabAccess.StateId(m.State), CabAccess.StateLabel(m.State), counts[m.Id].Count(), counts[m.Id].Count(i => i.Decision != CabDecision.None),
            m.CreatedByName, m.Version)).ToList(), total, r.Page, r.PageSize);
    }
}
