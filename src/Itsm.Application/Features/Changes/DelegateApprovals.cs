using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

public sealed record DelegationView(Guid Id, string FromUserId, string FromUserName, string ToUserId, string ToUserName,
    DateTimeOffset Starts, DateTimeOffset Ends, bool Active);

/// <summary>The caller's delegations, given and received, that have not ended.</summary>
public sealed record DelegationsView(IReadOnlyList<DelegationView> Given, IReadOnlyList<DelegationView> Received);

[AuthorizeRoles]
public sealed record ListApprovalDelegations : IRequest<DelegationsView>;

/// <summary>The caller lets someone decide their approvals (and their groups') for a period, e.g. while on leave.</summary>
[AuthorizeRoles]
public sealed record DelegateApprovals(string? To, DateTimeOffset? Starts, DateTimeOffset? Ends) : IRequest<DelegationsView>, ICommand;

/// <summary>The caller ends one of their delegations now.</summary>
[AuthorizeRoles]
public sealed record RevokeApprovalDelegation(Guid Id) : IRequest<DelegationsView>, ICommand;

public sealed class ApprovalDelegationHandlers(IItsmDbContext db, ICurrentUser user, IClock clock, IUserDirectory users)
    : IRequestHandler<ListApprovalDelegations, DelegationsView>, IRequestHandler<DelegateApprovals, DelegationsView>,
      IRequestHandler<RevokeApprovalDelegation, DelegationsView>
{
    public async Task<DelegationsView> Handle(ListApprovalDelegations r, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, user.Actor);
        return await ViewAsync(ct);
    }

    public async Task<DelegationsView> Handle(DelegateApprovals r, CancellationToken ct)
    {
        var actor = user.Actor;
        TicketAccess.EnsureMayRead(TicketKind.Change, actor);
        var now = clock.UtcNow;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(r.To)) errors["to"] = ["Say whom you delegate to (a user name)."];
        if (r.Ends is null) errors["ends"] = ["Say when the delegation ends."];
        if (errors.Count > 0) throw new FieldValidationException(errors);
        var to = await users.FindAsync(r.To!.Trim(), ct) ?? throw new FieldValidationException("to", $"There is no user '{r.To.Trim()}'.");
        if (!new Actor(to.Id, to.UserName, to.Roles.ToHashSet(), new HashSet<Guid>()).IsFulfiller)
            throw new FieldValidationException("to", $"{to.DisplayName} does not work changes and cannot approve them.");
        db.ApprovalDelegations.Add(ApprovalDelegation.Create(actor.UserId, actor.UserName, to.Id, to.DisplayName, r.Starts ?? now, r.Ends!.Value, now));
        await db.SaveChangesAsync(ct);
        return await ViewAsync(ct);
    }

    public async Task<DelegationsView> Handle(RevokeApprovalDelegation r, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, user.Actor);
        var delegation = await db.ApprovalDelegations.FirstOrDefaultAsync(d => d.Id == r.Id && d.FromUserId == user.Actor.UserId, ct)
                         ?? throw new NotFoundException($"Delegation {r.Id}");
        delegation.Revoke(clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return await ViewAsync(ct);
    }

    private async Task<DelegationsView> ViewAsync(CancellationToken ct)
    {
        var me = user.Actor.UserId;
        var now = clock.UtcNow;
        // A delegation revoked before it started ends when it starts: it never lets anyone decide, so it is not listed.
        var rows = await db.ApprovalDelegations.AsNoTracking().Where(d => (d.FromUserId == me || d.ToUserId == me) && d.Ends > now && d.Ends > d.Starts)
            .OrderBy(d => d.Starts).ToListAsync(ct);
        DelegationView View(ApprovalDelegation d) => new(d.Id, d.FromUserId, d.FromUserName, d.ToUserId, d.ToUserName, d.Starts, d.Ends, d.IsActive(now));
        return new DelegationsView(rows.Where(d => d.FromUserId == me).Select(View).ToList(), rows.Where(d => d.ToUserId == me).Select(View).ToList());
    }
}
