using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>A ticket's CIs: the affected CIs people added, and the impacted services with the path that explains each.</summary>
public sealed record TicketCisView(
    string Number, int Version, IReadOnlyList<AffectedCiView> AffectedCis, IReadOnlyList<ImpactedServiceView> ImpactedServices, int HiddenServices);

public sealed record AffectedCiView(CiSummary Ci, DateTimeOffset AddedAt, string AddedBy);

/// <summary>
/// An impacted service. <see cref="Origin"/> "computed" follows the graph; "manual" is a person's decision, kept:
/// included (<see cref="Excluded"/> false) or excluded. <see cref="Path"/> runs from an affected CI to the service,
/// empty when the affected CIs do not (or no longer) impact it.
/// </summary>
public sealed record ImpactedServiceView(CiSummary Ci, string Origin, bool Excluded, IReadOnlyList<PathStepView> Path, DateTimeOffset AddedAt, string AddedBy);

/// <summary>Builds <see cref="TicketCisView"/> for the caller: one query for the rows, one for the names, one impact walk.</summary>
public sealed class TicketCiViewBuilder(IItsmDbContext db, ICmdbGraph graph, CmdbModel model, CiViews views)
{
    public async Task<TicketCisView> BuildAsync(Guid ticketId, string number, int version, Actor actor, CancellationToken ct)
    {
        var rows = await db.TicketConfigurationItems.AsNoTracking().Where(r => r.TicketId == ticketId).ToListAsync(ct);
        var affected = rows.Where(r => r.Role == TicketCiRole.Affected).OrderBy(r => r.AddedAt).ThenBy(r => r.CiId).ToList();
        var result = graph.Impact(affected.Select(r => r.CiId).ToList(), ImpactedServices.Depth);
        var position = new Dictionary<long, int>();
        for (var i = 0; i < result.Count; i++) position[result.Nodes[i].CiId] = i;

        var services = rows.Where(r => r.Role == TicketCiRole.ImpactedService)
            .Select(r => (Row: r, Node: graph.Node(r.CiId)))
            .ToList();
        var hidden = services.Count(s => s.Node is not { } n || !actor.MaySee(n));
        var shown = services.Where(s => s.Node is { } n && actor.MaySee(n))
            .OrderBy(s => s.Row.Excluded).ThenBy(s => position.GetValueOrDefault(s.Row.CiId, int.MaxValue)).ThenBy(s => s.Row.CiId)
            .ToList();
        var ids = affected.Select(r => r.CiId)
            .Concat(shown.SelectMany(s => position.TryGetValue(s.Row.CiId, out var i) ? result.PathTo(i).Select(p => result.Nodes[p].CiId) : [s.Row.CiId]))
            .ToList();
        var names = await views.NamesAsync(ids, null, ct);

        CiSummary Summary(long id) => graph.Node(id) is { } node
            ? views.Summary(actor, node, names)
            : new CiSummary(id, names.GetValueOrDefault(id, $"CI {id}"), null, null, null, null, false);

        return new TicketCisView(number, version,
            affected.Select(r => new AffectedCiView(Summary(r.CiId), r.AddedAt, r.AddedBy)).ToList(),
            shown.Select(s => new ImpactedServiceView(views.Summary(actor, s.Node!.Value, names),
                s.Row.Origin == TicketCiOrigin.Computed ? "computed" : "manual", s.Row.Excluded,
                position.TryGetValue(s.Row.CiId, out var i) ? views.PathTo(actor, model, result, i, names) : [],
                s.Row.AddedAt, s.Row.AddedBy)).ToList(),
            hidden);
    }
}
