using System.Security.Cryptography;
using System.Text.Json;
using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// Idempotent creation for every kind: the same Idempotency-Key and body create one ticket, once; a retry is answered
/// with that ticket, a reused key with other values is refused. Pages use it too: a form's one-time id is its key. The key's record is written with the ticket in one save.
/// </summary>
public sealed class CreateTicketOnce(IItsmDbContext db, IUnitOfWork unitOfWork, IClock clock)
{
    /// <summary>The ticket <paramref name="create"/> made (null when a retry was answered) and its number.</summary>
    public sealed record Created(Ticket? Ticket, string Number);

    /// <param name="request">The create request: a retry must carry the same values (compared by a hash of them).</param>
    public async Task<Created> RunAsync<TRequest>(TicketKind kind, string? key, TRequest request, Actor actor, Func<CancellationToken, Task<Ticket>> create, CancellationToken ct)
    {
        var requestHash = key is null ? null : Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request)));
        try
        {
            return await unitOfWork.RunAsync(async ct =>
            {
                if (key is not null && await FindKeyAsync(key, actor.UserId, ct) is { } seen)
                    return Replay(seen, kind, requestHash);
                var ticket = await create(ct);
                db.Tickets.Add(ticket);
                if (key is not null)
                    db.IdempotencyRecords.Add(new IdempotencyRecord(key, actor.UserId, requestHash ?? "", ticket.Number, clock.UtcNow));
                await db.SaveChangesAsync(ct);
                return new Created(ticket, ticket.Number);
            }, ct);
        }
        catch (DbUpdateException) when (key is not null)
        {
            // A concurrent request with the same key (PostgreSQL; SQLite's single writer sees the first one's record)
            // committed first: the unique key refused ours and our transaction, its number included, was rolled back.
            var seen = await FindKeyAsync(key, actor.UserId, ct);
            if (seen is null) throw;
            return Replay(seen, kind, requestHash);
        }
    }

    private static Created Replay(IdempotencyRecord seen, TicketKind kind, string? requestHash)
    {
        if (seen.RequestHash != (requestHash ?? "") || !seen.TicketNumber.StartsWith(kind.Prefix(), StringComparison.Ordinal))
            throw new BusinessRuleException("idempotency-key-reused", "This Idempotency-Key was already used with a different request body.");
        return new Created(null, seen.TicketNumber);
    }

    private Task<IdempotencyRecord?> FindKeyAsync(string key, string userId, CancellationToken ct) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key && r.UserId == userId, ct);
}
