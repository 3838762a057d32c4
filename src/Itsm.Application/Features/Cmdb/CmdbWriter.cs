using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Every CMDB write goes through here: one changeset per command (who, when, why, the change behind it), saved
/// first so rows can be stamped with its id, then the rows and their entries; once the command has committed, the
/// graph index catches up, so the writer reads its own write.
/// </summary>
public sealed class CmdbWriter(IItsmDbContext db, IUnitOfWork unitOfWork, ICmdbGraph graph, IClock clock)
{
    public const int MaxReason = 1000;

    public async Task<CmdbChangeset> BeginAsync(Actor actor, string? reason, string? changeNumber, string? source, CancellationToken ct)
    {
        if (reason is { Length: > MaxReason }) throw new FieldValidationException("reason", $"At most {MaxReason} characters.");
        var changeset = new CmdbChangeset(actor.UserId, actor.UserName, clock.UtcNow, NullIfBlank(reason),
            NullIfBlank(changeNumber)?.ToUpperInvariant(), NullIfBlank(source));
        db.CmdbChangesets.Add(changeset);
        await db.SaveChangesAsync(ct);
        unitOfWork.AfterCommit(graph.CatchUpAsync);
        return changeset;
    }

    public void Record(CmdbChangeEntry entry) => db.CmdbChangeEntries.Add(entry);

    public void RecordUpdate(CmdbChangeset changeset, ConfigurationItem ci, IEnumerable<(string Field, string? Old, string? New)> changes)
    {
        foreach (var (field, old, now) in changes) Record(CmdbChangeEntry.Updated(changeset.Id, ci.Id, field, old, now));
    }

    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
