using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Cmdb;

public sealed record CiClassView(string Code, string Name, string? Parent, bool Abstract, bool AllowsRedundancy,
    IReadOnlyList<string> Identifiers, IReadOnlyList<CiAttributeView> Attributes);

public sealed record RelationshipTypeView(string Code, string Name, string Inverse, IReadOnlyList<string> Sources, IReadOnlyList<string> Targets,
    string Impact, bool RedundancyMembers);

public sealed record CmdbVocabulary(IReadOnlyList<CiClassView> Classes, IReadOnlyList<RelationshipTypeView> RelationshipTypes,
    IReadOnlyList<string> Statuses, IReadOnlyList<string> Environments);

/// <summary>The CMDB's classes, relationship types, statuses and environments, as the reference data declares them.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListCiClasses : IRequest<CmdbVocabulary>;

public sealed class ListCiClassesHandler(CmdbModel model) : IRequestHandler<ListCiClasses, CmdbVocabulary>
{
    public Task<CmdbVocabulary> Handle(ListCiClasses r, CancellationToken ct) => Task.FromResult(new CmdbVocabulary(
        model.Classes.Select(c => new CiClassView(c.Code, c.Name, c.Parent?.Code, c.IsAbstract, c.AllowsRedundancy, c.Identifiers,
            c.Attributes.Select(a => new CiAttributeView(a.Name, a.Type == CiAttributeType.Enum ? string.Join("|", a.Values) : null,
                a.Type.ToString().ToLowerInvariant(), a.Required)).ToList())).ToList(),
        model.Types.Select(t => new RelationshipTypeView(t.Code, t.Name, t.Inverse, t.Sources.Select(c => c.Code).ToList(),
            t.Targets.Select(c => c.Code).ToList(), t.Impact.ToString(), t.CountsAsMembers)).ToList(),
        Enum.GetValues<CiStatus>().Select(s => s.Display()).ToList(), model.Environments));
}
