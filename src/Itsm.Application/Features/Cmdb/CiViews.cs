using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Turns CI ids from the graph into what callers read: names (as of a time, if asked), classes, open incidents, and
/// the caller's visibility applied. One query per kind of data for all the ids, never one per CI.
/// </summary>
public sealed class CiViews(IItsmDbContext db, CmdbModel model, IProcessCatalog processes)
{
    /// <summary>The names of the CIs, as they were at <paramref name="asOf"/> when given.</summary>
    public async Task<Dictionary<long, string>> NamesAsync(IReadOnlyCollection<long> ids, DateTimeOffset? asOf, CancellationToken ct)
    {
        var names = new Dictionary<long, string>();
        foreach (var chunk in ids.Distinct().Chunk(5000))
        {
            foreach (var row in await db.ConfigurationItems.AsNoTracking().Where(c => chunk.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToListAsync(ct))
                names[row.Id] = row.Name;
            if (asOf is { } t)
                foreach (var undo in await LaterChanges(chunk, t).Where(e => e.Field == "name").ToListAsync(ct))
                    if (undo.OldValue is not null) names[undo.CiId!.Value] = undo.OldValue;
        }
        return names;
    }

    /// <summary>How many open incidents have each CI among their affected CIs.</summary>
    /// <remarks>
    /// Two queries, each led by an index: the links of these CIs (by CI), then which of their tickets are open incidents
    /// (by id). As one join the planner may start from the open incidents instead, and read them all for a few CIs.
    /// </remarks>
    public async Task<Dictionary<long, int>> OpenIncidentsAsync(IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var open = processes.For(TicketKind.Incident).States.Where(s => !s.IsFinal).Select(s => s.Id).ToList();
        var counts = new Dictionary<long, int>();
        foreach (var chunk in ids.Distinct().Chunk(5000))
        {
            var links = await db.TicketConfigurationItems.AsNoTracking()
                .Where(l => l.Role == TicketCiRole.Affected && chunk.Contains(l.CiId))
                .Select(l => new { l.TicketId, l.CiId }).ToListAsync(ct);
            if (links.Count == 0) continue;
            var tickets = links.Select(l => l.TicketId).Distinct().ToList();
            var openIncidents = (await db.Incidents.AsNoTracking().Where(i => tickets.Contains(i.Id) && open.Contains(i.State))
                .Select(i => i.Id).ToListAsync(ct)).ToHashSet();
            foreach (var l in links.Where(l => openIncidents.Contains(l.TicketId)))
                counts[l.CiId] = counts.GetValueOrDefault(l.CiId) + 1;
        }
        return counts;
    }

    public CiSummary Summary(Actor actor, GraphNode node, IReadOnlyDictionary<long, string> names, IReadOnlyDictionary<long, int>? incidents = null)
    {
        if (!actor.MaySee(node)) return new CiSummary(node.CiId, CmdbAccess.RestrictedName, null, null, null, null, true);
        var cls = model.FindClass(node.ClassCode);
        return new CiSummary(node.CiId, names.GetValueOrDefault(node.CiId, $"CI {node.CiId}"), node.ClassCode, cls?.Name ?? node.ClassCode,
            node.Status.Display(), node.Criticality, node.Restricted, incidents?.GetValueOrDefault(node.CiId) ?? 0);
    }

    /// <summary>The CI as it is, or as it was at <paramref name="asOf"/> (its current row with the later changes undone, newest first).</summary>
    public async Task<CiDetails> DetailsAsync(Actor actor, long id, DateTimeOffset? asOf, CancellationToken ct)
    {
        var ci = await db.ConfigurationItems.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (ci is null || (asOf is { } before && ci.CreatedAt > before) || !actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId))
            throw new NotFoundException($"CI {id}");
        var fields = ci.Fields();
        var version = ci.Version;
        var updatedAt = ci.UpdatedAt;
        if (asOf is { } t)
        {
            var undo = await LaterChanges([id], t).Join(db.CmdbChangesets, e => e.ChangesetId, s => s.Id, (e, s) => new { e.Id, e.Field, e.OldValue, s.At })
                .OrderByDescending(e => e.Id).ToListAsync(ct);
            foreach (var e in undo) fields[e.Field!] = e.OldValue;
            version -= undo.Select(e => e.At).Distinct().Count();
            updatedAt = undo.Count > 0 ? await db.CmdbChangeEntries.Where(e => e.CiId == id)
                .Join(db.CmdbChangesets.Where(s => s.At <= t), e => e.ChangesetId, s => s.Id, (e, s) => s.At)
                .OrderByDescending(a => a).FirstOrDefaultAsync(ct) : updatedAt;
            if (updatedAt == default) updatedAt = ci.CreatedAt;
        }
        var values = ConfigurationItem.ValuesOf(fields);
        if (!actor.MaySee(values.Restricted, values.OwnerGroupId, values.SupportGroupId)) throw new NotFoundException($"CI {id}");
        var cls = model.FindClass(ci.ClassCode);
        var groupIds = new[] { values.OwnerGroupId, values.SupportGroupId }.Where(g => g is not null).Select(g => g!.Value).ToList();
        var groups = await db.AssignmentGroups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => g.Name, ct);
        string? GroupName(Guid? g) => g is { } x ? groups.GetValueOrDefault(x) : null;
        var attributes = (cls?.Attributes ?? []).Select(a => new CiAttributeView(a.Name, values.Attributes.GetValueOrDefault(a.Name), a.Type.ToString().ToLowerInvariant(), a.Required))
            .Concat(values.Attributes.Where(kv => cls?.Attribute(kv.Key) is null).Select(kv => new CiAttributeView(kv.Key, kv.Value, "string", false)))
            .ToList();
        return new CiDetails(ci.Id, values.Name, ci.ClassCode, cls?.Name ?? ci.ClassCode, values.Status.Display(), values.Environment, values.Criticality,
            values.OwnerGroupId, GroupName(values.OwnerGroupId), values.SupportGroupId, GroupName(values.SupportGroupId), values.Restricted,
            values.Redundancy?.ToString(), attributes, ci.Source, ci.NativeKey, ci.CreatedAt, updatedAt, Math.Max(1, version), asOf);
    }

    private IQueryable<CmdbChangeEntry> LaterChanges(long[] ids, DateTimeOffset t) =>
        db.CmdbChangeEntries.AsNoTracking()
            .Where(e => e.Kind == CmdbChangeEntry.CiUpdated && e.CiId != null && ids.Contains(e.CiId.Value))
            .Where(e => db.CmdbChangesets.Any(s => s.Id == e.ChangesetId && s.At > t));

    /// <summary>The CI for a write, or 404 (also when the caller may not see it).</summary>
    public async Task<ConfigurationItem> LoadForWriteAsync(Actor actor, long id, CancellationToken ct)
    {
        var ci = await db.ConfigurationItems.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (ci is null || !actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId)) throw new NotFoundException($"CI {id}");
        return ci;
    }
}
