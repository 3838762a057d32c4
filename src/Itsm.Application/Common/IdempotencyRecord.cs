using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>An Idempotency-Key seen on a create: the same key and body create one ticket, once.</summary>
public class IdempotencyRecord(string key, string userId, string requestHash, string ticketNumber, DateTimeOffset createdAt)
{
    /// <summary>The column's length (idempotency_keys.Key).</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The one rule every create with an Idempotency-Key shares, for its validator.</summary>
    public static IEnumerable<(string, string)> CheckKey(string? key)
    {
        if (key is { Length: > MaxKeyLength }) yield return ("Idempotency-Key", $"At most {MaxKeyLength} characters.");
    }

    public string Key { get; private set; } = key;
    public string UserId { get; private set; } = userId;
    public string RequestHash { get; private set; } = requestHash;
    public string TicketNumber { get; private set; } = ticketNumber;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;
}
