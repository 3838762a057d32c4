using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>Hands out ticket numbers, unique per kind, inside the current transaction.</summary>
public interface ITicketNumberGenerator
{
    Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken cancellationToken);
}
