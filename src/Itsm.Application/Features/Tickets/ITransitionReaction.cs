using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// What a module does when one of its tickets has moved (children follow their major incident; incidents resume when
/// their problem is fixed). Runs in the same transaction, after the transition, on the outcome the aggregate reported.
/// </summary>
public interface ITransitionReaction
{
    TicketKind Kind { get; }
    Task ReactAsync(Ticket ticket, TransitionOutcome outcome, Actor actor, DateTimeOffset now, CancellationToken ct);
}
