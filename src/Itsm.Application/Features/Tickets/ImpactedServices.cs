using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// A ticket's impacted services, computed from its affected CIs by impact analysis: the business services (and their
/// subclasses) the affected CIs impact, and affected CIs that are services themselves. Computed rows follow the graph;
/// rows a person included or excluded are theirs and never touched here.
/// </summary>
public static class ImpactedServices
{
    /// <summary>How far impact is followed from the affected CIs (as the impact analysis's default).</summary>
    public const int Depth = GraphQueries.DefaultDepth;
    public const int MaxAffectedCis = 100;
    /// <summary>The history's fields for a ticket's CIs (hidden from requesters by <see cref="TicketAccess.InternalFields"/>).</summary>
    public const string AffectedField = "affectedCis";
    public const string ServicesField = "impactedServices";

    public static bool IsService(CmdbModel model, string classCode) => model.IsA(classCode, AnalyseImpactHandler.ServiceClass);

    /// <summary>The services the affected CIs impact now, on the whole graph (visibility is applied when read).</summary>
    public static HashSet<long> Compute(ICmdbGraph graph, CmdbModel model, IReadOnlyCollection<long> affected)
    {
        var services = new HashSet<long>();
        if (affected.Count == 0) return services;
        var result = graph.Impact(affected, Depth);
        foreach (var node in result.Nodes)
            if (IsService(model, node.ClassCode)) services.Add(node.CiId);
        return services;
    }

    /// <summary>
    /// Brings the computed rows among <paramref name="rows"/> (all the ticket's rows, tracked) in line with
    /// <paramref name="computed"/>: adds the newly impacted services, removes computed ones no longer impacted.
    /// Returns what changed.
    /// </summary>
    public static (List<long> Added, List<long> Removed) Apply(IItsmDbContext db, Guid ticketId, List<TicketConfigurationItem> rows,
        IReadOnlySet<long> computed, DateTimeOffset now)
    {
        var services = rows.Where(r => r.Role == TicketCiRole.ImpactedService).ToList();
        var removed = new List<long>();
        foreach (var row in services.Where(r => r.Origin == TicketCiOrigin.Computed && !r.Excluded && !computed.Contains(r.CiId)))
        {
            db.TicketConfigurationItems.Remove(row);
            rows.Remove(row);
            removed.Add(row.CiId);
        }
        var known = services.Select(r => r.CiId).ToHashSet();
        var added = new List<long>();
        foreach (var id in computed.Where(id => !known.Contains(id)).Order())
        {
            var row = new TicketConfigurationItem(ticketId, id, TicketCiRole.ImpactedService, TicketCiOrigin.Computed, false, now, Actor.System.UserName);
            db.TicketConfigurationItems.Add(row);
            rows.Add(row);
            added.Add(id);
        }
        return (added, removed);
    }

    /// <summary>Recomputes the ticket's services after a person changed its affected CIs, and audits what changed, as theirs.</summary>
    public static async Task RefreshAsync(IItsmDbContext db, ICmdbGraph graph, CmdbModel model, Ticket ticket, List<TicketConfigurationItem> rows,
        Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var affected = rows.Where(r => r.Role == TicketCiRole.Affected).Select(r => r.CiId).ToList();
        var (added, removed) = Apply(db, ticket.Id, rows, Compute(graph, model, affected), now);
        if (added.Count + removed.Count == 0) return;
        var labels = await LabelsAsync(db, added.Concat(removed).ToList(), ct);
        foreach (var id in removed) ticket.RecordConfigurationItems(ServicesField, labels[id], null, actor, now);
        foreach (var id in added) ticket.RecordConfigurationItems(ServicesField, null, labels[id], actor, now);
    }

    /// <summary>How the history names a CI: a restricted CI by its id only, since everyone who works the ticket reads the history.</summary>
    public static async Task<Dictionary<long, string>> LabelsAsync(IItsmDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rows = await db.ConfigurationItems.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Restricted }).ToListAsync(ct);
        var labels = rows.ToDictionary(c => c.Id, c => Label(c.Id, c.Name, c.Restricted));
        foreach (var id in ids) labels.TryAdd(id, $"CI {id}");
        return labels;
    }

    public static string Label(long id, string name, bool restricted) => restricted ? $"CI {id} (restricted)" : $"{name} (CI {id})";
}
