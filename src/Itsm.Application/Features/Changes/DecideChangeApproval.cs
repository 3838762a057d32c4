using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// An approver approves or rejects (a rejection needs a comment). Who may decide is the approval's: its person or their
/// delegate, a member of its group or a member's delegate; never the change's requester or implementer.
/// </summary>
[AuthorizeRoles]
public sealed record DecideChangeApproval(string Number, Guid ApprovalId, string? Decision, string? Comment, int? ExpectedVersion = null)
    : IRequest<ChangeApprovalsView>, ICommand;

public sealed class DecideChangeApprovalValidator : IRequestValidator<DecideChangeApproval>
{
    public IEnumerable<(string, string)> Validate(DecideChangeApproval r)
    {
        if (r.Decision is not ("approve" or "reject")) yield return ("decision", "The decision is approve or reject.");
        if (r.Comment is { Length: > Domain.Changes.Approvals.ChangeApproval.CommentMax })
            yield return ("comment", $"At most {Domain.Changes.Approvals.ChangeApproval.CommentMax} characters.");
    }
}

public sealed class DecideChangeApprovalHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ChangeApprovalService approvals, IMediator mediator)
    : IRequestHandler<DecideChangeApproval, ChangeApprovalsView>
{
    public async Task<ChangeApprovalsView> Handle(DecideChangeApproval r, CancellationToken ct)
    {
        var actor = user.Actor;
        // Approvers need not work changes (a service owner may be any fulfiller); requesters never see changes.
        TicketAccess.EnsureMayRead(TicketKind.Change, actor);
        var change = await db.Changes.LoadVisibleAsync(TicketKind.Change, r.Number, actor, ct);
        change.EnsureVersion(r.ExpectedVersion);
        await approvals.DecideAsync(change, r.ApprovalId, r.Decision == "approve", r.Comment, actor, clock.UtcNow, ct);
        await db.SaveChangesAsync(ct);
        return await mediator.Send(new GetChangeApprovals(change.Number), ct);
    }
}
