using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// Before a change moves, its assessment is brought up to date (guards read the conflicts and CIs it counted); after,
/// entering Authorize starts the approval policy, and going back to New or being canceled cancels pending approvals.
/// </summary>
public sealed class ChangeTransitionReaction(ChangeEditor editor, ChangeApprovalService approvals) : ITransitionReaction, ITransitionPreparation
{
    public TicketKind Kind => TicketKind.Change;

    public Task PrepareAsync(Ticket ticket, DateTimeOffset now, CancellationToken ct) => editor.AssessAsync((Change)ticket, now, ct);

    public async Task ReactAsync(Ticket ticket, TransitionOutcome outcome, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var change = (Change)ticket;
        if (outcome.To == Change.AuthorizeState) await approvals.StartAsync(change, actor, now, ct);
        else if (outcome.From is Change.AuthorizeState && outcome.To is Change.NewState or "canceled")
            await approvals.CancelAsync(change, outcome.To == Change.NewState ? "the change was sent back to New" : "the change was canceled", now, ct);
    }
}
