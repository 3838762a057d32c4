using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Identity;

namespace Itsm.Application.Features.Cmdb;

/// <summary>Explanation paths as callers read them: each step's CI (hidden when restricted) and the relationship, phrased from the step before.</summary>
public static class CiPaths
{
    /// <summary>The path from a start CI of <paramref name="result"/> to its CI at <paramref name="index"/>.</summary>
    public static IReadOnlyList<PathStepView> PathTo(this CiViews views, Actor actor, CmdbModel model, ImpactResult result, int index,
        IReadOnlyDictionary<long, string> names) =>
        result.PathTo(index)
            .Select(i => views.Step(actor, model, result.Nodes[i], result.Via[i], result.Parents[i] < 0 ? null : result.Nodes[result.Parents[i]].CiId, names))
            .ToList();

    /// <summary>A path of steps, each with the relationship from the step before.</summary>
    public static IReadOnlyList<PathStepView> Path(this CiViews views, Actor actor, CmdbModel model, IReadOnlyList<CorrelationStep> steps,
        IReadOnlyDictionary<long, string> names) =>
        steps.Select((s, i) => views.Step(actor, model, s.Node, s.Via, i == 0 ? null : steps[i - 1].Node.CiId, names)).ToList();

    public static PathStepView Step(this CiViews views, Actor actor, CmdbModel model, GraphNode node, GraphEdge? via, long? previousCiId,
        IReadOnlyDictionary<long, string> names)
    {
        var ci = views.Summary(actor, node, names);
        if (via is not { } edge || previousCiId is null) return new PathStepView(ci, null, null);
        var type = model.FindType(edge.TypeCode);
        // Read from the step before: "A is used by B" when B depends on A; "A is a member of B".
        var forward = edge.SourceId == previousCiId;
        return new PathStepView(ci, edge.TypeCode, forward ? type?.Name ?? edge.TypeCode : type?.Inverse ?? edge.TypeCode);
    }
}
