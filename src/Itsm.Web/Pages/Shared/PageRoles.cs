using System.Text;
using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Itsm.Web.Pages.Shared;

/// <summary>Roles allowed into the agent workspace pages (the same list as <see cref="Roles.Fulfillers"/>).</summary>
public static class PageRoles
{
    public const string Fulfillers = "Agent,ProblemManager,ChangeManager,CabMember,Engineer,Admin";
    public const string Admin = Roles.Admin;
    /// <summary>Who raises and edits changes (the roles of <c>RaiseChange</c> and <c>UpdateChange</c>).</summary>
    public const string ChangeWorkers = "Engineer,ChangeManager,Admin";

    /// <summary>Whether the actor passes the role check of a request type (its <see cref="AuthorizeRolesAttribute"/>).</summary>
    public static bool MaySend<TRequest>(Actor actor)
    {
        var rule = (AuthorizeRolesAttribute?)Attribute.GetCustomAttribute(typeof(TRequest), typeof(AuthorizeRolesAttribute));
        return rule is null || rule.Roles.Count == 0 || rule.Roles.Any(actor.IsInRole);
    }
}
