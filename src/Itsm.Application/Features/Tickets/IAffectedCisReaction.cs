using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>What a module does when a person changed a ticket's affected CIs, in the same transaction (a change re-assesses).</summary>
public interface IAffectedCisReaction
{
    TicketKind Kind { get; }
    Task ReactAsync(Ticket ticket, Actor actor, DateTimeOffset now, CancellationToken ct);
}
