using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Common;

/// <summary>Hands out ticket numbers, unique per kind, inside the current transaction.</summary>
public interface ITicketNumberGenerator
{
    Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken cancellationToken);
}
