using System.Security.Claims;
using Itsm.Application.Common;
using Itsm.Domain.Identity;

namespace Itsm.Web.Auth;

/// <summary>The signed-in person, read from the claims that sign-in (cookie or API token) put on the principal.</summary>
public sealed class CurrentUser(IHttpContextAccessor http) : ICurrentUser
{
    private Actor? _actor;

    public bool IsAuthenticated => http.HttpContext?.User.Identity?.IsAuthenticated == true;

    public Actor Actor => _actor ??= Build(http.HttpContext?.User);

    private static Actor Build(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) throw new UnauthorizedAccessException();
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new UnauthorizedAccessException();
        var name = user.FindFirstValue(ItsmClaims.DisplayName) ?? user.Identity.Name ?? id;
        var roles = user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet();
        var groups = user.FindAll(ItsmClaims.Group).Select(c => Guid.TryParse(c.Value, out var g) ? g : Guid.Empty)
            .Where(g => g != Guid.Empty).ToHashSet();
        return new Actor(id, name, roles, groups);
    }
}
