using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>Relates two CIs ("source &lt;type&gt; target"), if the type allows their classes; one live relationship per pair and type.</summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record LinkConfigurationItems(long SourceId, string? Type, long TargetId, string? Reason = null, string? ChangeNumber = null)
    : IRequest<RelationshipView>, ICommand;

public sealed class LinkConfigurationItemsHandler(IItsmDbContext db, ICurrentUser user, CmdbModel model, CmdbWriter writer, CiViews views)
    : IRequestHandler<LinkConfigurationItems, RelationshipView>
{
    public async Task<RelationshipView> Handle(LinkConfigurationItems r, CancellationToken ct)
    {
        var actor = user.Actor;
        var type = model.FindType(r.Type)
            ?? throw new FieldValidationException("type", $"'{r.Type}' is not a relationship type. Types: {string.Join(", ", model.Types.Select(t => t.Code))}.");
        var source = await Load("sourceId", r.SourceId);
        var target = await Load("targetId", r.TargetId);
        if (await db.Relationships.AnyAsync(x => x.SourceId == source.Id && x.TargetId == target.Id && x.TypeCode == type.Code && x.DeletedAt == null, ct))
            throw new BusinessRuleException("relationship-exists", $"CI {source.Id} already {type.Name} CI {target.Id}.");
        var changeset = await writer.BeginAsync(actor, r.Reason, r.ChangeNumber, null, ct);
        var relationship = Relationship.Link(type, source, model.Class(source.ClassCode), target, model.Class(target.ClassCode), changeset);
        db.Relationships.Add(relationship);
        await writer.SaveAsync(ct);
        writer.Record(CmdbChangeEntry.Linked(changeset.Id, relationship));
        await writer.SaveAsync(ct);
        return await RelationshipViews.BuildAsync(db, model, views, actor, relationship, ct);

        async Task<ConfigurationItem> Load(string field, long id)
        {
            var ci = await db.ConfigurationItems.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            if (ci is null || !actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId))
                throw new FieldValidationException(field, $"There is no CI {id}.");
            return ci;
        }
    }
}

/// <summary>Ends a relationship. It is kept, closed, so the graph of earlier times still has it.</summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record DeleteRelationship(long Id, string? Reason = null, string? ChangeNumber = null) : IRequest<RelationshipView>, ICommand;

public sealed class DeleteRelationshipHandler(IItsmDbContext db, ICurrentUser user, CmdbModel model, CmdbWriter writer, CiViews views)
    : IRequestHandler<DeleteRelationship, RelationshipView>
{
    public async Task<RelationshipView> Handle(DeleteRelationship r, CancellationToken ct)
    {
        var actor = user.Actor;
        var relationship = await db.Relationships.FirstOrDefaultAsync(x => x.Id == r.Id, ct) ?? throw new NotFoundException($"Relationship {r.Id}");
        var ends = await db.ConfigurationItems.AsNoTracking().Where(c => c.Id == relationship.SourceId || c.Id == relationship.TargetId).ToListAsync(ct);
        if (ends.Any(c => !actor.MaySee(c.Restricted, c.OwnerGroupId, c.SupportGroupId))) throw new NotFoundException($"Relationship {r.Id}");
        var changeset = await writer.BeginAsync(actor, r.Reason, r.ChangeNumber, null, ct);
        relationship.Delete(changeset);
        writer.Record(CmdbChangeEntry.Unlinked(changeset.Id, relationship));
        await writer.SaveAsync(ct);
        return await RelationshipViews.BuildAsync(db, model, views, actor, relationship, ct);
    }
}

/// <summary>A CI's relationships in both directions, each read from the CI ("runs on esx-03", "hosts web-01").</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListCiRelationships(long Id, DateTimeOffset? AsOf = null) : IRequest<IReadOnlyList<CiRelationshipView>>;

public sealed class ListCiRelationshipsHandler(ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views)
    : IRequestHandler<ListCiRelationships, IReadOnlyList<CiRelationshipView>>
{
    public async Task<IReadOnlyList<CiRelationshipView>> Handle(ListCiRelationships r, CancellationToken ct)
    {
        var actor = user.Actor;
        if (graph.Node(r.Id, r.AsOf) is not { } center || !actor.MaySee(center)) throw new NotFoundException($"CI {r.Id}");
        var n = graph.Neighbourhood(r.Id, new Domain.Cmdb.Graph.NeighbourhoodQuery { Depth = 1, Limit = 10_000, AsOf = r.AsOf });
        var names = await views.NamesAsync(n.Nodes.Select(x => x.CiId).ToList(), r.AsOf, ct);
        var nodes = n.Nodes.ToDictionary(x => x.CiId);
        return n.Edges.Where(e => e.SourceId == r.Id || e.TargetId == r.Id).Select(e =>
            {
                var outgoing = e.SourceId == r.Id;
                var type = model.FindType(e.TypeCode);
                var other = nodes[outgoing ? e.TargetId : e.SourceId];
                return new CiRelationshipView(e.RelationshipId, e.TypeCode, outgoing ? type?.Name ?? e.TypeCode : type?.Inverse ?? e.TypeCode,
                    outgoing, views.Summary(actor, other, names));
            })
            .OrderBy(v => v.Outgoing ? 0 : 1).ThenBy(v => v.Phrase).ThenBy(v => v.Other.Name).ToList();
    }
}

internal static class RelationshipViews
{
    public static async Task<RelationshipView> BuildAsync(IItsmDbContext db, CmdbModel model, CiViews views, Actor actor, Relationship r, CancellationToken ct)
    {
        var ends = await db.ConfigurationItems.AsNoTracking().Where(c => c.Id == r.SourceId || c.Id == r.TargetId).ToListAsync(ct);
        CiSummary Summary(long id)
        {
            var c = ends.First(x => x.Id == id);
            return views.Summary(actor, new Domain.Cmdb.Graph.GraphNode(c.Id, c.ClassCode, c.Status, c.Criticality, c.Restricted, c.OwnerGroupId, c.SupportGroupId, c.Redundancy),
                new Dictionary<long, string> { [c.Id] = c.Name });
        }
        var type = model.Type(r.TypeCode);
        return new RelationshipView(r.Id, r.TypeCode, type.Name, type.Inverse, Summary(r.SourceId), Summary(r.TargetId), r.CreatedAt, r.DeletedAt);
    }
}
