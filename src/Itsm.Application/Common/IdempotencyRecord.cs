using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>An Idempotency-Key seen on a create: the same key and body create one ticket, once.</summary>
public class IdempotencyRecord(string key, string userId, string requestHash, string ticketNumber, DateTimeOffset createdAt)
{
    public string Key { get; private set; } = key;
    public string UserId { get; private set; } = userId;
    public string RequestHash { get; private set; } = requestHash;
    public string TicketNumber { get; private set; } = ticketNumber;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;
}
