using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>
/// Incident correlation: the other open incidents whose affected CIs share an upstream CI with this incident's within
/// <see cref="Hops"/>, grouped by that CI; the best group's CI is proposed as the probable common cause.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record CorrelateIncidents(string Number, int? Hops = null) : IRequest<IncidentCorrelationView>
{
    public const int MaxHops = 10;
    public const int MaxGroups = 20;
}

public sealed record IncidentCorrelationView(string Number, int Hops, CorrelationGroupView? ProbableCause, IReadOnlyList<CorrelationGroupView> Groups);

/// <summary>A shared upstream CI and the incidents it would explain; <see cref="Path"/> leads from this incident's CI up to it.</summary>
public sealed record CorrelationGroupView(CiSummary SharedCi, int Distance, IReadOnlyList<PathStepView> Path, IReadOnlyList<CorrelatedIncidentView> Incidents);

public sealed record CorrelatedIncidentView(string Number, string ShortDescription, string State, string StateLabel, int Priority,
    string? ParentIncidentNumber, string? ProblemNumber, CiSummary AffectedCi, IReadOnlyList<PathStepView> Path);

/// <summary>The default hop limit, from <c>Cmdb:CorrelationHops</c> (3).</summary>
public sealed record CorrelationSettings(int Hops = 3);

public sealed class CorrelateIncidentsValidator : IRequestValidator<CorrelateIncidents>
{
    public IEnumerable<(string, string)> Validate(CorrelateIncidents r)
    {
        if (r.Hops is < 1 or > CorrelateIncidents.MaxHops) yield return ("hops", $"Hops must be 1 to {CorrelateIncidents.MaxHops}.");
    }
}

public sealed class CorrelateIncidentsHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views,
    IProcessCatalog processes, CorrelationSettings settings)
    : IRequestHandler<CorrelateIncidents, IncidentCorrelationView>
{
    public async Task<IncidentCorrelationView> Handle(CorrelateIncidents r, CancellationToken ct)
    {
        var actor = user.Actor;
        var hops = r.Hops ?? settings.Hops;
        var incidentId = await db.VisibleIdAsync(TicketKind.Incident, r.Number, actor, ct);
        var number = TicketAccess.Key(TicketKind.Incident, r.Number);
        var mine = await db.TicketConfigurationItems.AsNoTracking()
            .Where(x => x.TicketId == incidentId && x.Role == TicketCiRole.Affected).Select(x => x.CiId).ToListAsync(ct);
        if (mine.Count == 0) return new IncidentCorrelationView(number, hops, null, []);

        // One query for every other open incident's affected CIs; the graph does the rest in memory.
        var active = processes.For(TicketKind.Incident).ActiveStates.ToList();
        var others = (await db.TicketConfigurationItems.AsNoTracking()
                .Where(x => x.Role == TicketCiRole.Affected && x.TicketId != incidentId)
                .Join(db.Incidents.Where(i => active.Contains(i.State)), x => x.TicketId, i => i.Id, (x, _) => new { x.TicketId, x.CiId })
                .ToListAsync(ct))
            .Select(x => new CorrelationCandidate(x.TicketId, x.CiId)).ToList();
        var groups = IncidentCorrelation.Correlate(mine, others, ci => graph.Dependencies(ci, hops), n => ImpactedServices.IsService(model, n.ClassCode))
            .Take(CorrelateIncidents.MaxGroups).ToList();
        if (groups.Count == 0) return new IncidentCorrelationView(number, hops, null, []);

        // One query for the incidents the groups name.
        var ids = groups.SelectMany(g => g.Incidents.Select(i => i.IncidentId)).Distinct().ToList();
        var incidents = await db.Incidents.AsNoTracking().Where(i => ids.Contains(i.Id))
            .Select(i => new { i.Id, i.Number, i.ShortDescription, i.State, i.Priority, i.ParentIncidentNumber, i.ProblemNumber })
            .ToDictionaryAsync(i => i.Id, ct);
        var names = await views.NamesAsync(groups.SelectMany(g => g.SubjectPath.Concat(g.Incidents.SelectMany(i => i.Path))).Select(s => s.Node.CiId).ToList(), null, ct);
        var process = processes.For(TicketKind.Incident);

        var shown = groups.Select(g => new CorrelationGroupView(views.Summary(actor, g.SharedCi, names), g.Distance, views.Path(actor, model, g.SubjectPath, names),
            g.Incidents.Where(i => incidents.ContainsKey(i.IncidentId)).Select(i =>
            {
                var x = incidents[i.IncidentId];
                return new CorrelatedIncidentView(x.Number, x.ShortDescription, x.State, process.State(x.State).Label, (int)x.Priority,
                    x.ParentIncidentNumber, x.ProblemNumber, views.Summary(actor, i.Path[0].Node, names), views.Path(actor, model, i.Path, names));
            }).ToList())).ToList();
        return new IncidentCorrelationView(number, hops, shown[0], shown);
    }
}
