using Itsm.Domain.Cmdb.Graph;

namespace Itsm.Application.Common;

/// <summary>
/// The CMDB graph for traversals (docs/decisions/0011): answered by the in-process index, which follows the
/// database's changesets. Callers speak CI ids and filters only, so another store (Neo4j) can stand behind it.
/// </summary>
public interface ICmdbGraph
{
    /// <summary>Bumped whenever the graph changes: what was computed from an older version may be stale.</summary>
    long Version { get; }

    GraphNode? Node(long ciId, DateTimeOffset? asOf = null);
    ImpactResult Impact(IReadOnlyCollection<long> ciIds, int maxDepth, DateTimeOffset? asOf = null);
    ImpactResult Dependencies(long ciId, int maxDepth, DateTimeOffset? asOf = null);
    Neighbourhood Neighbourhood(long ciId, NeighbourhoodQuery query);

    /// <summary>
    /// The CIs one live relationship away from the CI, either way, each once and without the CI itself (none for an
    /// unknown CI). Reads the CI's own relationships only: a neighbour's degree costs nothing, unlike a depth-1
    /// <see cref="Neighbourhood"/>, which also reads the relationships among the neighbours.
    /// </summary>
    IReadOnlyList<long> Neighbours(long ciId);

    /// <summary>Applies every committed changeset not yet in the graph: after a command's commit, so it reads its own writes.</summary>
    Task CatchUpAsync(CancellationToken ct);
}
