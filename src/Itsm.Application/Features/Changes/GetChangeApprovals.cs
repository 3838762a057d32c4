using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>A change's approvals, with what the caller may decide.</summary>
[AuthorizeRoles]
public sealed record GetChangeApprovals(string Number) : IRequest<ChangeApprovalsView>;

public sealed class GetChangeApprovalsHandler(IItsmDbContext db, ICurrentUser user, IClock clock)
    : IRequestHandler<GetChangeApprovals, ChangeApprovalsView>
{
    public async Task<ChangeApprovalsView> Handle(GetChangeApprovals r, CancellationToken ct)
    {
        var actor = user.Actor;
        var change = await db.Changes.AsNoTracking().LoadVisibleAsync(TicketKind.Change, r.Number, actor, ct);
        var rows = await db.ChangeApprovals.AsNoTracking().Where(a => a.ChangeId == change.Id).ToListAsync(ct);
        var may = await ApproverRights.ForAsync(db, actor, clock.UtcNow, ct);
        var own = actor.UserId == change.RequesterId || actor.UserId == change.ImplementerId;
        return ApprovalViews.Build(change.Number, change.Version, rows,
            a => !own && change.State == Domain.Changes.Change.AuthorizeState && a.State == ApprovalState.Requested && may.MayDecide(a));
    }
}

/// <summary>Whom a person may decide for: themselves, their groups, and the people (and their groups) who delegated to them now.</summary>
public sealed class ApproverRights
{
    private readonly HashSet<string> _people = new(StringComparer.Ordinal);
    private readonly HashSet<Guid> _groups = [];

    public IReadOnlyCollection<string> People => _people;
    public IReadOnlyCollection<Guid> Groups => _groups;

    public bool MayDecide(ChangeApproval a) => a.Kind == ApproverKind.Person
        ? _people.Contains(a.ApproverId)
        : Guid.TryParse(a.ApproverId, out var g) && _groups.Contains(g);

    public static async Task<ApproverRights> ForAsync(IItsmDbContext db, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var rights = new ApproverRights();
        rights._people.Add(actor.UserId);
        var delegators = await db.ApprovalDelegations.AsNoTracking()
            .Where(d => d.ToUserId == actor.UserId && d.Starts <= now && d.Ends > now).Select(d => d.FromUserId).ToListAsync(ct);
        foreach (var d in delegators) rights._people.Add(d);
        var groups = await db.AssignmentGroups.AsNoTracking().SelectMany(g => g.Members).Where(m => rights._people.Contains(m.UserId)).Select(m => m.GroupId).ToListAsync(ct);
        foreach (var g in groups) rights._groups.Add(g);
        return rights;
    }
}
