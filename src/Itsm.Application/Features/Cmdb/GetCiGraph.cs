using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Cmdb;

/// <summary>A CI's neighbourhood as nodes and edges, from the graph index, as it is or as of a time.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record GetCiGraph(long Id) : IRequest<GraphView>
{
    public const int MaxDepth = 5;
    public const int MaxLimit = 1000;

    public int Depth { get; init; } = 1;
    public GraphDirection Direction { get; init; } = GraphDirection.Both;
    public IReadOnlyList<string>? Types { get; init; }
    public IReadOnlyList<string>? Classes { get; init; }
    public IReadOnlyList<string>? Statuses { get; init; }
    public int Limit { get; init; } = 200;
    public DateTimeOffset? AsOf { get; init; }
}

public sealed class GetCiGraphValidator(CmdbModel model) : IRequestValidator<GetCiGraph>
{
    public IEnumerable<(string, string)> Validate(GetCiGraph r)
    {
        if (r.Depth is < 1 or > GetCiGraph.MaxDepth) yield return ("depth", $"Depth must be 1 to {GetCiGraph.MaxDepth}.");
        if (r.Limit is < 1 or > GetCiGraph.MaxLimit) yield return ("limit", $"Limit must be 1 to {GetCiGraph.MaxLimit}.");
        foreach (var t in r.Types ?? []) if (model.FindType(t) is null)
            yield return ("types", $"'{t}' is not a relationship type. Types: {string.Join(", ", model.Types.Select(x => x.Code))}.");
        foreach (var c in r.Classes ?? []) if (model.FindClass(c) is null)
            yield return ("classes", $"'{c}' is not a CI class.");
        foreach (var s in r.Statuses ?? []) if (!CiStatusText.TryParse(s, out _))
            yield return ("statuses", $"'{s}' is not a status: {CiStatusText.Allowed}.");
    }
}

public sealed class GetCiGraphHandler(ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views) : IRequestHandler<GetCiGraph, GraphView>
{
    public async Task<GraphView> Handle(GetCiGraph r, CancellationToken ct)
    {
        var actor = user.Actor;
        var center = graph.Node(r.Id, r.AsOf);
        if (center is null || !actor.MaySee(center.Value)) throw new NotFoundException($"CI {r.Id}");
        var classes = r.Classes?.SelectMany(c => model.WithSubclasses(model.Class(c))).Select(c => c.Code).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var n = graph.Neighbourhood(r.Id, new NeighbourhoodQuery
        {
            Depth = r.Depth,
            Direction = r.Direction,
            Types = r.Types?.Select(t => model.Type(t).Code).ToHashSet(StringComparer.OrdinalIgnoreCase),
            Classes = classes,
            Statuses = r.Statuses?.Select(s => { CiStatusText.TryParse(s, out var x); return x; }).ToHashSet(),
            Limit = r.Limit,
            AsOf = r.AsOf,
        });
        var ids = n.Nodes.Select(x => x.CiId).ToList();
        var names = await views.NamesAsync(ids, r.AsOf, ct);
        var incidents = r.AsOf is null ? await views.OpenIncidentsAsync(ids, ct) : [];
        var nodes = n.Nodes.Select(x => views.Summary(actor, x, names, incidents))
            .Select(s => new GraphNodeView(s.Id, s.Name, s.Class, s.ClassName, s.Status, s.Criticality, s.OpenIncidents, s.Restricted && s.Class is null))
            .ToList();
        var edges = n.Edges.Select(e =>
        {
            var type = model.FindType(e.TypeCode);
            return new GraphEdgeView(e.RelationshipId, e.SourceId, e.TargetId, e.TypeCode, type?.Name ?? e.TypeCode, type?.Inverse ?? e.TypeCode);
        }).ToList();
        return new GraphView(r.Id, nodes, edges, n.Truncated, r.AsOf);
    }
}
