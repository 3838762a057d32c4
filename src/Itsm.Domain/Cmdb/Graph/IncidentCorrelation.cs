namespace Itsm.Domain.Cmdb.Graph;

/// <summary>One step of an upstream path: the CI, and the relationship between it and the step before (null for the first).</summary>
public readonly record struct CorrelationStep(GraphNode Node, GraphEdge? Via);

/// <summary>An open incident and one of its affected CIs.</summary>
public readonly record struct CorrelationCandidate(Guid IncidentId, long CiId);

/// <summary>An incident of a group: the affected CI through which it shares the upstream CI, and the path up to it.</summary>
public sealed record CorrelatedIncident(Guid IncidentId, long CiId, int Depth, IReadOnlyList<CorrelationStep> Path);

/// <summary>
/// Incidents whose affected CIs all depend (within the hop limit) on <see cref="SharedCi"/>: the probable common cause.
/// <see cref="SubjectPath"/> leads from the subject incident's affected CI up to it.
/// </summary>
public sealed record CorrelationGroup(GraphNode SharedCi, bool IsService, int Distance, long SubjectCiId,
    IReadOnlyList<CorrelationStep> SubjectPath, IReadOnlyList<CorrelatedIncident> Incidents);

/// <summary>
/// Graph-based incident correlation (DESIGN.md §2.5): from the subject incident's affected CIs walk upstream (what
/// they depend on, within the hops); every other open incident whose affected CIs reach one of those upstream CIs in
/// as many hops joins that CI's group. Groups come best first: the one explaining the most incidents, then
/// infrastructure before business services, then the nearest; the first is the proposed common cause.
/// </summary>
public static class IncidentCorrelation
{
    /// <param name="subjectCis">The subject incident's affected CIs.</param>
    /// <param name="others">The other open incidents' affected CIs (one entry per incident and CI).</param>
    /// <param name="upstream">The dependency walk from a CI within the hop limit (<c>ICmdbGraph.Dependencies</c>).</param>
    /// <param name="isService">Whether a CI is a business service (a poor common cause: it is what fails, not why).</param>
    public static IReadOnlyList<CorrelationGroup> Correlate(IReadOnlyCollection<long> subjectCis, IReadOnlyCollection<CorrelationCandidate> others,
        Func<long, ImpactResult> upstream, Func<GraphNode, bool> isService)
    {
        // Per upstream CI, the subject's nearest way up to it.
        var subject = new Dictionary<long, (ImpactResult Walk, int Index)>();
        foreach (var ci in subjectCis.Distinct())
        {
            var walk = upstream(ci);
            for (var i = 0; i < walk.Count; i++)
            {
                var id = walk.Nodes[i].CiId;
                if (!subject.TryGetValue(id, out var seen) || walk.Depths[i] < seen.Walk.Depths[seen.Index]) subject[id] = (walk, i);
            }
        }
        if (subject.Count == 0) return [];

        // Per upstream CI and incident, that incident's nearest way up to it. One walk per distinct CI, not per incident.
        var members = new Dictionary<long, Dictionary<Guid, (long CiId, ImpactResult Walk, int Index)>>();
        foreach (var byCi in others.GroupBy(o => o.CiId))
        {
            var walk = upstream(byCi.Key);
            for (var i = 0; i < walk.Count; i++)
            {
                var id = walk.Nodes[i].CiId;
                if (!subject.ContainsKey(id)) continue;
                if (!members.TryGetValue(id, out var incidents)) members[id] = incidents = [];
                foreach (var candidate in byCi)
                    if (!incidents.TryGetValue(candidate.IncidentId, out var seen) || walk.Depths[i] < seen.Walk.Depths[seen.Index])
                        incidents[candidate.IncidentId] = (byCi.Key, walk, i);
            }
        }

        var groups = new List<CorrelationGroup>();
        foreach (var (sharedId, incidents) in members)
        {
            var (subjectWalk, subjectIndex) = subject[sharedId];
            var shared = subjectWalk.Nodes[subjectIndex];
            var correlated = incidents
                .Select(kv => new CorrelatedIncident(kv.Key, kv.Value.CiId, kv.Value.Walk.Depths[kv.Value.Index], PathOf(kv.Value.Walk, kv.Value.Index)))
                .OrderBy(c => c.Depth).ThenBy(c => c.IncidentId)
                .ToList();
            var distance = Math.Max(subjectWalk.Depths[subjectIndex], correlated.Max(c => c.Depth));
            groups.Add(new CorrelationGroup(shared, isService(shared), distance, subjectWalk.Nodes[0].CiId, PathOf(subjectWalk, subjectIndex), correlated));
        }
        return groups
            .OrderByDescending(g => g.Incidents.Count)
            .ThenBy(g => g.IsService)
            .ThenBy(g => g.Distance)
            .ThenBy(g => g.SharedCi.CiId)
            .ToList();
    }

    /// <summary>The path from the walk's start (an affected CI) up to the CI at <paramref name="index"/>.</summary>
    private static IReadOnlyList<CorrelationStep> PathOf(ImpactResult walk, int index) =>
        walk.PathTo(index).Select(i => new CorrelationStep(walk.Nodes[i], walk.Via[i])).ToList();
}
