using System.Security.Claims;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Itsm.Web.Auth;

/// <summary>Puts roles, display name and assignment-group memberships on the principal once, at sign-in.</summary>
public sealed class PrincipalFactory(UserManager<ItsmUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options, ItsmDbContext db)
    : UserClaimsPrincipalFactory<ItsmUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ItsmUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ItsmClaims.DisplayName, string.IsNullOrEmpty(user.DisplayName) ? user.UserName ?? "" : user.DisplayName));
        var groups = await db.Set<Itsm.Domain.Tickets.GroupMember>().Where(m => m.UserId == user.Id).Select(m => m.GroupId).ToListAsync();
        foreach (var g in groups) identity.AddClaim(new Claim(ItsmClaims.Group, g.ToString()));
        return identity;
    }
}
