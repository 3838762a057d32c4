using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Impact analysis: from CIs that are down or changing, every CI and business service affected, with the path that
/// explains each. Computed on the whole graph, then filtered by what the caller may see (a hidden CI is counted, not
/// shown; in a path it is "Restricted CI"). Business services are all listed; the other impacted CIs are paged.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record AnalyseImpact(IReadOnlyList<long> CiIds) : IRequest<ImpactView>
{
    public const int MaxStart = 1000;
    public const int MaxDepth = 50;
    public int Depth { get; init; } = GraphQueries.DefaultDepth;
    public DateTimeOffset? AsOf { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 100;
    /// <summary>
    /// At most this many business services, the most critical first (nearest first among equals), for views that show
    /// the blast radius beside other things; null lists them all, nearest first. <see cref="ImpactView.TotalServices"/> counts them all.
    /// </summary>
    public int? MostCriticalServices { get; init; }
    /// <summary>The reverse question: what the (single) CI depends on, nearest first.</summary>
    public bool Dependencies { get; init; }
    /// <summary>The CI is the one in the path (GET /cis/{id}/impact): an unknown one is a 404, not a field error.</summary>
    public bool ByPath { get; init; }
}

public sealed class AnalyseImpactValidator : IRequestValidator<AnalyseImpact>
{
    public IEnumerable<(string, string)> Validate(AnalyseImpact r)
    {
        if (r.CiIds.Count == 0) yield return ("ciIds", "Give at least one CI.");
        if (r.CiIds.Count > AnalyseImpact.MaxStart) yield return ("ciIds", $"At most {AnalyseImpact.MaxStart} CIs.");
        if (r.Depth is < 1 or > AnalyseImpact.MaxDepth) yield return ("depth", $"Depth must be 1 to {AnalyseImpact.MaxDepth}.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > 1000) yield return ("pageSize", "A page holds 1 to 1000 CIs.");
        if (r.MostCriticalServices is < 1 or > 1000) yield return ("mostCriticalServices", "Show 1 to 1000 services.");
    }
}

public sealed class AnalyseImpactHandler(ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views)
    : IRequestHandler<AnalyseImpact, ImpactView>
{
    public const string ServiceClass = "business-service";

    public async Task<ImpactView> Handle(AnalyseImpact r, CancellationToken ct)
    {
        var actor = user.Actor;
        var ids = r.CiIds.Distinct().ToList();
        ThrowIfMissing(actor, graph, ids, r);
        var result = r.Dependencies ? graph.Dependencies(ids[0], r.Depth, r.AsOf) : graph.Impact(ids, r.Depth, r.AsOf);
        return await ViewAsync(actor, result, r, model, views, ct);
    }

    /// <summary>Refuses CIs the graph does not know (at the request's time) or the caller may not see, as the request's field (or not found, by path).</summary>
    public static void ThrowIfMissing(Actor actor, ICmdbGraph graph, IReadOnlyList<long> ids, AnalyseImpact r)
    {
        var missing = ids.Where(id => graph.Node(id, r.AsOf) is not { } n || !actor.MaySee(n)).ToList();
        if (missing.Count > 0 && r.ByPath) throw new NotFoundException($"CI {missing[0]}");
        if (missing.Count > 0)
            throw new FieldValidationException("ciIds", $"No CI {string.Join(", ", missing)}{(r.AsOf is null ? "" : " at that time")}.");
    }

    /// <summary>A walk as the caller may see it: the request's page of impacted CIs, the business services (all, or the most critical), the paths that explain them.</summary>
    public static async Task<ImpactView> ViewAsync(Actor actor, ImpactResult result, AnalyseImpact r, CmdbModel model, CiViews views, CancellationToken ct)
    {
        var visible = new List<int>();
        var services = new List<int>();
        var hidden = 0;
        for (var i = result.StartCount; i < result.Count; i++)
        {
            if (result.IsRestrictedAt(i) && !actor.MaySee(result.Nodes[i])) { hidden++; continue; }
            if (model.IsA(result.ClassCodeAt(i), ServiceClass)) services.Add(i);
            visible.Add(i);
        }
        var totalServices = services.Count;
        if (r.MostCriticalServices is { } most)
            services = services.OrderBy(i => result.Nodes[i].Criticality).ThenBy(i => result.Depths[i]).ThenBy(i => i).Take(most).ToList();
        var page = visible.Skip((r.Page - 1) * r.PageSize).Take(r.PageSize).ToList();
        var shown = services.Concat(page).SelectMany(result.PathTo).Concat(Enumerable.Range(0, result.StartCount)).Distinct().ToList();
        var names = await views.NamesAsync(shown.Select(i => result.Nodes[i].CiId).ToList(), r.AsOf, ct);

        ImpactItemView Item(int i)
        {
            var counts = result.RedundancyCounts[i];
            var redundancy = counts.Members > 0 ? $"{counts.Impacted} of {counts.Members} members impacted ({result.Nodes[i].Redundancy})" : null;
            return new ImpactItemView(views.Summary(actor, result.Nodes[i], names), result.Depths[i], redundancy,
                views.PathTo(actor, model, result, i, names));
        }

        return new ImpactView(
            Enumerable.Range(0, result.StartCount).Select(i => views.Summary(actor, result.Nodes[i], names)).ToList(),
            r.Depth, result.Count - result.StartCount, hidden, result.DepthLimited,
            services.Select(Item).ToList(), totalServices, page.Select(Item).ToList(), r.Page, r.PageSize, r.AsOf);
    }
}
