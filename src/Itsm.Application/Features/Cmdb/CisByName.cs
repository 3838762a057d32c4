using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>A CI that a change window names (windows name services and CIs by their names).</summary>
public sealed record NamedCi(long Id, string Name, string ClassCode, bool Restricted, Guid? OwnerGroupId, Guid? SupportGroupId);

public static class CisByName
{
    /// <summary>
    /// The CIs, not retired, with exactly one of these names, by id. The class codes lead the filter so that both
    /// databases answer from the (ClassCode, Name) index: PostgreSQL's index on the name alone is a trigram index for
    /// search, and on a million CIs the names alone were a sequential scan of 100-200 ms on every assessment.
    /// </summary>
    public static async Task<List<NamedCi>> NamedAsync(this IItsmDbContext db, CmdbModel model, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0) return [];
        var classCodes = model.Classes.Select(c => c.Code).ToList();
        return await db.ConfigurationItems.AsNoTracking()
            .Where(c => classCodes.Contains(c.ClassCode) && names.Contains(c.Name) && c.Status != CiStatus.Retired)
            .OrderBy(c => c.Id)
            .Select(c => new NamedCi(c.Id, c.Name, c.ClassCode, c.Restricted, c.OwnerGroupId, c.SupportGroupId))
            .ToListAsync(ct);
    }
}
