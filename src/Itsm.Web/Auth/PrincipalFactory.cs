using System.Security.Claims;
using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Itsm.Web.Auth;

/// <summary>Puts roles, display name and assignment-group memberships on the principal once, at sign-in.</summary>
public sealed class PrincipalFactory(UserManager<ItsmUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, ApiTokenStore store)
    : UserClaimsPrincipalFactory<ItsmUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ItsmUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ItsmClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        var groups = await store.GroupsOfAsync(user.Id);
        foreach (var g in groups) identity.AddClaim(new Claim(ItsmClaims.Group, g.ToString()));
        return identity;
    }
}
