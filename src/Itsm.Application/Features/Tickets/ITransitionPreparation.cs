using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>What a module brings up to date before one of its tickets moves, so that the guards see current facts.</summary>
public interface ITransitionPreparation
{
    TicketKind Kind { get; }
    Task PrepareAsync(Ticket ticket, DateTimeOffset now, CancellationToken ct);
}
