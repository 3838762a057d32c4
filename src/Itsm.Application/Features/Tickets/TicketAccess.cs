using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// Row-level visibility in one place, for every kind: fulfillers see every ticket; a requester sees their own tickets
/// of the kinds employees raise (incidents, requests) and nothing of the others (problems, changes).
/// </summary>
public static class TicketAccess
{
    /// <summary>Fields the service desk keeps to itself: hidden from requesters in pages, API and history.</summary>
    public static readonly IReadOnlySet<string> InternalFields = new HashSet<string>(StringComparer.Ordinal)
    {
        "priorityOverrideReason", "reassignmentCount", "problem",
        "affectedCis", "impactedServices", // requesters see nothing of the CMDB
    };

    /// <summary>Whether a requester sees their own tickets of this kind.</summary>
    public static bool RequesterSeesOwn(TicketKind kind) => kind is TicketKind.Incident or TicketKind.Request;

    /// <summary>The noun a person reads: "Incident", "Problem".</summary>
    public static string Noun(TicketKind kind) => kind.ToString();

    /// <summary>
    /// Who works tickets of a kind (takes them, edits their fields): the service desk and every fulfiller for incidents,
    /// problem managers for problems, engineers and change managers for changes. What each may do in the lifecycle is the process's roles.
    /// </summary>
    public static IReadOnlyList<string> WorkerRoles(TicketKind kind) => kind switch
    {
        TicketKind.Problem => [Roles.ProblemManager, Roles.Admin],
        TicketKind.Change => [Roles.Engineer, Roles.ChangeManager, Roles.Admin],
        _ => Roles.Fulfillers,
    };

    public static void EnsureMayWork(TicketKind kind, Actor actor)
    {
        if (!WorkerRoles(kind).Any(actor.IsInRole))
            throw new ForbiddenException($"{Noun(kind)} records are worked by {string.Join(", ", WorkerRoles(kind))}.");
    }

    /// <summary>Refuses a requester a kind they never see (a 403: the whole module is closed to them, not one ticket).</summary>
    public static void EnsureMayRead(TicketKind kind, Actor actor)
    {
        if (!actor.IsFulfiller && !RequesterSeesOwn(kind))
            throw new ForbiddenException($"{Noun(kind)} records are for the people who work tickets.");
    }

    public static IQueryable<T> VisibleTo<T>(this IQueryable<T> tickets, TicketKind kind, Actor actor) where T : Ticket
    {
        EnsureMayRead(kind, actor);
        return actor.IsFulfiller ? tickets : tickets.Where(t => t.RequesterId == actor.UserId);
    }

    /// <summary>The number in its stored spelling, when it is one of this kind; otherwise the ticket cannot exist.</summary>
    public static string Key(TicketKind kind, string? number)
    {
        var key = (number ?? "").Trim().ToUpperInvariant();
        if (!TicketNumber.TryParse(key, out var parsed) || parsed.Kind != kind)
            throw new NotFoundException($"{Noun(kind)} {Shorten(key)}");
        return key;
    }

    /// <summary>Loads a ticket of the kind by number for a change, if the actor may see it ("not found" otherwise).</summary>
    public static async Task<T> LoadVisibleAsync<T>(this IQueryable<T> tickets, TicketKind kind, string number, Actor actor, CancellationToken ct) where T : Ticket
    {
        var key = Key(kind, number);
        return await tickets.VisibleTo(kind, actor).FirstOrDefaultAsync(t => t.Number == key, ct)
               ?? throw new NotFoundException($"{Noun(kind)} {key}");
    }

    public static Task<Ticket> LoadVisibleAsync(this IItsmDbContext db, TicketKind kind, string number, Actor actor, CancellationToken ct) =>
        db.Tickets.Where(t => t.Kind == kind).LoadVisibleAsync(kind, number, actor, ct);

    /// <summary>The id of a visible ticket, for reads that need only its key.</summary>
    public static async Task<Guid> VisibleIdAsync(this IItsmDbContext db, TicketKind kind, string number, Actor actor, CancellationToken ct)
    {
        var key = Key(kind, number);
        return await db.Tickets.Where(t => t.Kind == kind).VisibleTo(kind, actor).Where(t => t.Number == key)
                   .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct)
               ?? throw new NotFoundException($"{Noun(kind)} {key}");
    }

    /// <summary>Guards against lost updates: the caller's version (from the ETag) must still be current.</summary>
    public static void EnsureVersion(this Ticket ticket, int? expectedVersion)
    {
        if (expectedVersion is { } v && v != ticket.Version)
            throw new ConcurrencyConflictException(
                $"{ticket.Number} was changed by someone else (version {ticket.Version}, you had {v}). Reload it and try again.");
    }

    private static string Shorten(string s) => s.Length > 24 ? s[..24] + "…" : s;
}
