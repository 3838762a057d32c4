using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
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
        var now = clock.UtcNow;
        var number = NullIfBlank(changeNumber)?.ToUpperInvariant();
        var changeset = new CmdbChangeset(actor.UserId, actor.UserName, now, NullIfBlank(reason), number, NullIfBlank(source));
        if (await WhyUnauthorisedAsync(actor, number, now, ct) is { } why) changeset.MarkUnauthorised(why);
        db.CmdbChangesets.Add(changeset);
        await db.SaveChangesAsync(ct);
        unitOfWork.AfterCommit(graph.CatchUpAsync);
        return changeset;
    }

    /// <summary>
    /// Why no approved change covers the write (null when the named change does). A named change must exist: naming a
    /// wrong one is a typo to refuse, not a write to flag. The system's own writes (start-up) are not changes.
    /// </summary>
    private async Task<string?> WhyUnauthorisedAsync(Actor actor, string? number, DateTimeOffset now, CancellationToken ct)
    {
        if (actor.UserId == Actor.System.UserId) return null;
        if (number is null) return "it names no change.";
        if (!TicketNumber.TryParse(number, out var parsed) || parsed.Kind != TicketKind.Change)
            throw new FieldValidationException("changeNumber", $"'{number}' is not a change number (CHG…).");
        var change = await db.Changes.AsNoTracking().FirstOrDefaultAsync(c => c.Number == number, ct)
                     ?? throw new FieldValidationException("changeNumber", $"There is no change {number}.");
        return change.WhyNotCovering(actor, now);
    }

    public void Record(CmdbChangeEntry entry) => db.CmdbChangeEntries.Add(entry);

    public void RecordUpdate(CmdbChangeset changeset, ConfigurationItem ci, IEnumerable<(string Field, string? Old, string? New)> changes)
    {
        foreach (var (field, old, now) in changes) Record(CmdbChangeEntry.Updated(changeset.Id, ci.Id, field, old, now));
    }

    public Task SaveAsync(CancellationToken ct) => db.SaveChangesAsync(ct);

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
