using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>An approval waiting for the caller, with the change it is for.</summary>
public sealed record ApprovalInboxItem(
    Guid ApprovalId, string ChangeNumber, string ShortDescription, string ChangeType, string? Risk, string? RiskLabel,
    DateTimeOffset? PlannedStart, DateTimeOffset? PlannedEnd, string RequesterName, string StageName, string SetLabel,
    string ApproverName, string Why, DateTimeOffset? RequestedAt, int ChangeVersion);

/// <summary>
/// The approvals inbox: the requested approvals of changes being authorised that the caller may decide (their own,
/// their groups', and those delegated to them), oldest first; never their own changes. <see cref="CountOnly"/> for the header.
/// </summary>
[AuthorizeRoles]
public sealed record ListMyApprovals(bool CountOnly = false) : IRequest<ApprovalInbox>;

public sealed record ApprovalInbox(int Count, IReadOnlyList<ApprovalInboxItem> Items);

public sealed class ListMyApprovalsHandler(IItsmDbContext db, ICurrentUser user, IClock clock) : IRequestHandler<ListMyApprovals, ApprovalInbox>
{
    public const int MaxItems = 200;

    public async Task<ApprovalInbox> Handle(ListMyApprovals r, CancellationToken ct)
    {
        var actor = user.Actor;
        // Requesters never see changes: the API refuses them the inbox like every change endpoint (403); the header's count is just 0.
        if (!actor.IsFulfiller) return r.CountOnly ? new ApprovalInbox(0, []) : throw new ForbiddenException("The approvals inbox is for the people who work tickets.");
        var rights = await ApproverRights.ForAsync(db, actor, clock.UtcNow, ct);
        var people = rights.People.ToList();
        var groups = rights.Groups.Select(g => g.ToString("D")).ToList();
        var query =
            from a in db.ChangeApprovals.AsNoTracking()
            join c in db.Changes.AsNoTracking() on a.ChangeId equals c.Id
            where a.State == ApprovalState.Requested && c.State == Change.AuthorizeState
                  && c.RequesterId != actor.UserId && (c.ImplementerId == null || c.ImplementerId != actor.UserId)
                  && ((a.Kind == ApproverKind.Person && people.Contains(a.ApproverId)) || (a.Kind == ApproverKind.Group && groups.Contains(a.ApproverId)))
            select new { a, c };
        var count = await query.CountAsync(ct);
        if (r.CountOnly) return new ApprovalInbox(count, []);
        var rows = await query.OrderBy(x => x.a.RequestedAt).ThenBy(x => x.c.Number).Take(MaxItems).ToListAsync(ct);
        return new ApprovalInbox(count, rows.Select(x => new ApprovalInboxItem(
            x.a.Id, x.c.Number, x.c.ShortDescription, Change.TypeId(x.c.Type), x.c.Risk?.Id(), x.c.Risk?.Label(), x.c.PlannedStart, x.c.PlannedEnd,
            x.c.RequesterName, x.a.StageName, x.a.SetLabel, x.a.ApproverName, x.a.Why, x.a.RequestedAt, x.c.Version)).ToList());
    }
}
