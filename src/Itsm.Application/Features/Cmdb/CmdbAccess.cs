using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Identity;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Who sees what of the CMDB: Engineers and Admins write it; Agents, problem and change managers and CAB members read
/// it; requesters see none of it. A restricted CI is seen only by Admins and the members of its owner or support group;
/// to everyone else it is "Restricted CI", with no name, class or attributes.
/// </summary>
public static class CmdbAccess
{
    public const string RestrictedName = "Restricted CI";

    public static readonly string[] Readers = [Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin];
    public static readonly string[] Writers = [Roles.Engineer, Roles.Admin];

    public static bool MaySee(this Actor actor, bool restricted, Guid? owner, Guid? support) =>
        !restricted || actor.IsInRole(Roles.Admin)
        || (owner is { } o && actor.GroupIds.Contains(o)) || (support is { } s && actor.GroupIds.Contains(s));

    public static bool MaySee(this Actor actor, GraphNode node) => actor.MaySee(node.Restricted, node.OwnerGroupId, node.SupportGroupId);
}
