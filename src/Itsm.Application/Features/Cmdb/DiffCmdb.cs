using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

public sealed record FieldDiff(string Field, string? Before, string? After);

public sealed record CiDiff(CiSummary Ci, bool Created, IReadOnlyList<FieldDiff> Fields);

public sealed record RelationshipDiff(long Id, string Type, long SourceId, long TargetId, bool Added);

public sealed record CmdbDiff(DateTimeOffset From, DateTimeOffset To, int Changesets, IReadOnlyList<CiDiff> Cis, IReadOnlyList<RelationshipDiff> Relationships);

/// <summary>
/// The CMDB at <see cref="To"/> against the CMDB at <see cref="From"/>: per CI the fields whose value differs (value
/// then → value now; a field changed and changed back is not listed), CIs created, relationships added or removed
/// (one added and removed in between is not listed). For one CI, or for the path to a service (<see cref="PathTo"/>:
/// it and what it depends on at either time).
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record DiffCmdb(DateTimeOffset From, DateTimeOffset To) : IRequest<CmdbDiff>
{
    public const int MaxEntries = 100_000;
    public long? CiId { get; init; }
    public long? PathTo { get; init; }
}

public sealed class DiffCmdbValidator : IRequestValidator<DiffCmdb>
{
    public IEnumerable<(string, string)> Validate(DiffCmdb r)
    {
        if (r.From > r.To) yield return ("from", "'from' must not be after 'to'.");
        if (r.CiId is not null && r.PathTo is not null) yield return ("pathTo", "Give a CI or a service to follow, not both.");
    }
}

public sealed class DiffCmdbHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, CiViews views) : IRequestHandler<DiffCmdb, CmdbDiff>
{
    public async Task<CmdbDiff> Handle(DiffCmdb r, CancellationToken ct)
    {
        var actor = user.Actor;
        HashSet<long>? scope = null;
        if ((r.CiId ?? r.PathTo) is { } id)
        {
            if (graph.Node(id) is not { } n || !actor.MaySee(n)) throw new NotFoundException($"CI {id}");
            scope = r.CiId is not null ? [id]
                : graph.Dependencies(id, GraphQueries.DefaultDepth, r.To).Nodes.Select(x => x.CiId)
                    .Concat(graph.Dependencies(id, GraphQueries.DefaultDepth, r.From).Nodes.Select(x => x.CiId)).ToHashSet();
        }
        var rows = await db.CmdbChangeEntries.AsNoTracking()
            .Join(db.CmdbChangesets.Where(s => s.At > r.From && s.At <= r.To), e => e.ChangesetId, s => s.Id, (e, s) => e)
            .OrderBy(e => e.Id).Take(DiffCmdb.MaxEntries).ToListAsync(ct);
        if (rows.Count == DiffCmdb.MaxEntries)
            throw new BusinessRuleException("diff-too-large", $"More than {DiffCmdb.MaxEntries} changes in that time: choose a shorter one, or one CI or service.");
        if (scope is not null)
            rows = rows.Where(e => e.CiId is { } c && scope.Contains(c)
                                   || e.RelationshipTargetId() is { } target && scope.Contains(target)).ToList();

        var ciIds = rows.Where(e => e.Kind is CmdbChangeEntry.CiCreated or CmdbChangeEntry.CiUpdated).Select(e => e.CiId!.Value).Distinct().ToList();
        var names = await views.NamesAsync(ciIds, r.To, ct);
        var cis = new List<CiDiff>();
        foreach (var ci in ciIds)
        {
            if (graph.Node(ci) is not { } node || !actor.MaySee(node)) continue;
            var mine = rows.Where(e => e.CiId == ci).ToList();
            var fields = mine.Where(e => e.Kind == CmdbChangeEntry.CiUpdated).GroupBy(e => e.Field!)
                .Select(g => new FieldDiff(g.Key, g.First().OldValue, g.Last().NewValue))
                .Where(f => f.Before != f.After).ToList();
            var created = mine.Any(e => e.Kind == CmdbChangeEntry.CiCreated);
            if (created || fields.Count > 0) cis.Add(new CiDiff(views.Summary(actor, node, names), created, fields));
        }
        var relationships = rows.Where(e => e.RelationshipId is not null).GroupBy(e => e.RelationshipId!.Value)
            .Select(g => (g.Key, Added: g.Any(e => e.Kind == CmdbChangeEntry.RelationshipCreated), Removed: g.Any(e => e.Kind == CmdbChangeEntry.RelationshipDeleted), First: g.First()))
            .Where(x => x.Added != x.Removed)
            .Select(x => new RelationshipDiff(x.Key, x.First.Field!, x.First.CiId!.Value, x.First.RelationshipTargetId()!.Value, x.Added))
            .Where(d => graph.Node(d.SourceId) is { } s && actor.MaySee(s) && graph.Node(d.TargetId) is { } t && actor.MaySee(t))
            .ToList();
        return new CmdbDiff(r.From, r.To, rows.Select(e => e.ChangesetId).Distinct().Count(), cis, relationships);
    }
}
