using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Visibility in one place: fulfillers see every incident, a requester only their own (others are "not found").</summary>
public static class IncidentAccess
{
    public static IQueryable<Incident> VisibleTo(this IQueryable<Incident> incidents, Actor actor) =>
        actor.IsFulfiller ? incidents : incidents.Where(i => i.RequesterId == actor.UserId);

    public static async Task<Incident> LoadVisibleAsync(this IItsmDbContext db, string number, Actor actor, CancellationToken ct)
    {
        var key = (number ?? "").Trim().ToUpperInvariant();
        return await db.Incidents.VisibleTo(actor).FirstOrDefaultAsync(i => i.Number == key, ct)
               ?? throw new NotFoundException($"Incident {key}");
    }

    /// <summary>Guards against lost updates: the caller's version (from the ETag) must still be current.</summary>
    public static void EnsureVersion(this Incident incident, int? expectedVersion)
    {
        if (expectedVersion is { } v && v != incident.Version)
            throw new ConcurrencyConflictException(
                $"{incident.Number} was changed by someone else (version {incident.Version}, you had {v}). Reload it and try again.");
    }
}
