using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// The CMDB's changesets between two times, newest first, with what each did; for one CI (<see cref="CiId"/>), or for
/// everything on the path to a service (<see cref="PathTo"/>: the service and every CI it depends on, then or now):
/// "what changed on the path to this service in the last 24 hours" is this one call.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListCmdbChangesets : IRequest<Page<ChangesetView>>
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public long? CiId { get; init; }
    public long? PathTo { get; init; }
    /// <summary>Only the writes that named this change (CHG number).</summary>
    public string? ChangeNumber { get; init; }
    /// <summary>Only the writes no approved change covered (the change manager's list).</summary>
    public bool Unauthorised { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

public sealed class ListCmdbChangesetsValidator : IRequestValidator<ListCmdbChangesets>
{
    public IEnumerable<(string, string)> Validate(ListCmdbChangesets r)
    {
        if (r.From is { } f && r.To is { } t && f > t) yield return ("from", "'from' must not be after 'to'.");
        if (r.CiId is not null && r.PathTo is not null) yield return ("pathTo", "Give a CI or a service to follow, not both.");
        if (r.ChangeNumber is { Length: > 20 }) yield return ("changeNumber", "A change number has at most 20 characters.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > 200) yield return ("pageSize", "A page holds 1 to 200 changesets.");
    }
}

public sealed class ListCmdbChangesetsHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, CiViews views, CmdbModel model)
    : IRequestHandler<ListCmdbChangesets, Page<ChangesetView>>
{
    public async Task<Page<ChangesetView>> Handle(ListCmdbChangesets r, CancellationToken ct)
    {
        var actor = user.Actor;
        HashSet<long>? scope = null;
        if (r.CiId is { } one)
        {
            if (graph.Node(one) is not { } n || !actor.MaySee(n)) throw new Domain.Common.NotFoundException($"CI {one}");
            scope = [one];
        }
        else if (r.PathTo is { } service)
        {
            if (graph.Node(service) is not { } n || !actor.MaySee(n)) throw new Domain.Common.NotFoundException($"CI {service}");
            scope = graph.Dependencies(service, Domain.Cmdb.Graph.GraphQueries.DefaultDepth).Nodes.Select(x => x.CiId).ToHashSet();
            if (r.From is { } then) scope.UnionWith(graph.Dependencies(service, Domain.Cmdb.Graph.GraphQueries.DefaultDepth, then).Nodes.Select(x => x.CiId));
        }
        var sets = db.CmdbChangesets.AsNoTracking();
        if (r.From is { } from) sets = sets.Where(s => s.At >= from);
        if (r.To is { } to) sets = sets.Where(s => s.At <= to);
        if (r.Unauthorised) sets = sets.Where(s => s.UnauthorisedReason != null);
        if (!string.IsNullOrWhiteSpace(r.ChangeNumber))
        {
            var number = r.ChangeNumber.Trim().ToUpperInvariant();
            sets = sets.Where(s => s.ChangeNumber == number);
        }
        var entries = db.CmdbChangeEntries.AsNoTracking();
        if (scope is not null)
        {
            // A relationship entry names its source CI; one whose target is in scope counts too.
            var ids = scope.ToList();
            var targets = ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            entries = entries.Where(e => (e.CiId != null && ids.Contains(e.CiId.Value))
                                         || (e.RelationshipId != null && (targets.Contains(e.NewValue!) || targets.Contains(e.OldValue!))));
            sets = sets.Where(s => entries.Any(e => e.ChangesetId == s.Id));
        }
        var total = await sets.CountAsync(ct);
        var page = await sets.OrderByDescending(s => s.Id).Skip((r.Page - 1) * r.PageSize).Take(r.PageSize).ToListAsync(ct);
        var pageIds = page.Select(s => s.Id).ToList();
        var rows = await entries.Where(e => pageIds.Contains(e.ChangesetId)).OrderBy(e => e.Id).Take(50_000).ToListAsync(ct);
        var ciIds = rows.Where(e => e.CiId is not null).Select(e => e.CiId!.Value).Concat(rows.Select(e => e.RelationshipTargetId()).OfType<long>()).Distinct().ToList();
        var names = await views.NamesAsync(ciIds, null, ct);
        var visible = ciIds.Where(id => graph.Node(id) is not { } n || actor.MaySee(n)).ToHashSet();
        string? Name(long? id) => id is not { } x ? null : visible.Contains(x) ? names.GetValueOrDefault(x) : CmdbAccess.RestrictedName;
        var items = page.Select(s => new ChangesetView(s.Id, s.At, s.ActorName, s.Reason, s.ChangeNumber, s.Source, s.UnauthorisedReason,
            rows.Where(e => e.ChangesetId == s.Id && (e.CiId is null || visible.Contains(e.CiId.Value)))
                .Select(e => new ChangeEntryView(e.Kind, e.CiId, Name(e.CiId), e.RelationshipId, e.Field, e.OldValue, e.NewValue)
                {
                    OtherCiName = Name(e.RelationshipTargetId()),
                    RelationshipName = e.RelationshipId is null ? null : model.FindType(e.Field ?? "")?.Name,
                })
                .ToList())).ToList();
        return new Page<ChangesetView>(items, total, r.Page, r.PageSize);
    }
}
