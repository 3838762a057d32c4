using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// The open incidents on CIs related to a ticket's affected CIs: the same CI, a CI it depends on, or a CI that depends
/// on it, within <see cref="Hops"/> steps; nearest first, each with the path from the ticket's CI to theirs.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListIncidentsOnRelatedCis(TicketKind Kind, string Number, int Hops = ListIncidentsOnRelatedCis.DefaultHops)
    : IRequest<IReadOnlyList<RelatedIncidentView>>
{
    public const int DefaultHops = 3;
    public const int MaxHops = 10;
    public const int Limit = 100;
}

/// <summary>Relation: "same-ci", "dependency" (the ticket's CI depends on theirs) or "dependant" (theirs depends on the ticket's).</summary>
public sealed record RelatedIncidentView(string Number, string ShortDescription, string State, string StateLabel, int Priority,
    string Relation, int Distance, CiSummary Ci, IReadOnlyList<PathStepView> Path);

public sealed class ListIncidentsOnRelatedCisValidator : IRequestValidator<ListIncidentsOnRelatedCis>
{
    public IEnumerable<(string, string)> Validate(ListIncidentsOnRelatedCis r)
    {
        if (r.Hops is < 1 or > ListIncidentsOnRelatedCis.MaxHops) yield return ("hops", $"Hops must be 1 to {ListIncidentsOnRelatedCis.MaxHops}.");
    }
}

public sealed class ListIncidentsOnRelatedCisHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views, IProcessCatalog processes)
    : IRequestHandler<ListIncidentsOnRelatedCis, IReadOnlyList<RelatedIncidentView>>
{
    public async Task<IReadOnlyList<RelatedIncidentView>> Handle(ListIncidentsOnRelatedCis r, CancellationToken ct)
    {
        var actor = user.Actor;
        var ticketId = await db.VisibleIdAsync(r.Kind, r.Number, actor, ct);
        var affected = await db.TicketConfigurationItems.AsNoTracking()
            .Where(x => x.TicketId == ticketId && x.Role == TicketCiRole.Affected).Select(x => x.CiId).ToListAsync(ct);
        if (affected.Count == 0) return [];

        // Each related CI with its nearest relation: the walk and the position that explain it.
        var related = new Dictionary<long, (string Relation, int Distance, ImpactResult Walk, int Index)>();
        void Offer(long id, string relation, ImpactResult walk, int i)
        {
            if (!related.TryGetValue(id, out var seen) || walk.Depths[i] < seen.Distance) related[id] = (relation, walk.Depths[i], walk, i);
        }
        var dependants = graph.Impact(affected, r.Hops);
        for (var i = 0; i < dependants.Count; i++) Offer(dependants.Nodes[i].CiId, i < dependants.StartCount ? "same-ci" : "dependant", dependants, i);
        foreach (var ci in affected)
        {
            var dependencies = graph.Dependencies(ci, r.Hops);
            for (var i = dependencies.StartCount; i < dependencies.Count; i++) Offer(dependencies.Nodes[i].CiId, "dependency", dependencies, i);
        }

        var active = processes.For(TicketKind.Incident).ActiveStates.ToList();
        var hits = new List<(Guid Id, string Number, string ShortDescription, string State, Priority Priority, long CiId)>();
        foreach (var chunk in related.Keys.Chunk(5000))
            hits.AddRange((await db.TicketConfigurationItems.AsNoTracking()
                    .Where(x => x.Role == TicketCiRole.Affected && x.TicketId != ticketId && chunk.Contains(x.CiId))
                    .Join(db.Incidents.Where(i => active.Contains(i.State)), x => x.TicketId, i => i.Id,
                        (x, i) => new { i.Id, i.Number, i.ShortDescription, i.State, i.Priority, x.CiId })
                    .ToListAsync(ct))
                .Select(h => (h.Id, h.Number, h.ShortDescription, h.State, h.Priority, h.CiId)));
        var nearest = hits.GroupBy(h => h.Id)
            .Select(g => g.OrderBy(h => related[h.CiId].Distance).ThenBy(h => h.CiId).First())
            .OrderBy(h => related[h.CiId].Distance).ThenBy(h => h.Priority).ThenBy(h => h.Number, StringComparer.Ordinal)
            .Take(ListIncidentsOnRelatedCis.Limit)
            .ToList();

        var names = await views.NamesAsync(nearest.SelectMany(h => related[h.CiId].Walk.PathTo(related[h.CiId].Index)
            .Select(i => related[h.CiId].Walk.Nodes[i].CiId)).ToList(), null, ct);
        var process = processes.For(TicketKind.Incident);
        return nearest.Select(h =>
        {
            var (relation, distance, walk, index) = related[h.CiId];
            return new RelatedIncidentView(h.Number, h.ShortDescription, h.State, process.State(h.State).Label, (int)h.Priority, relation, distance,
                views.Summary(actor, walk.Nodes[index], names), views.PathTo(actor, model, walk, index, names));
        }).ToList();
    }
}
