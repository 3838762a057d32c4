using Itsm.Application.Common;
using Itsm.Domain.Identity;

namespace Itsm.Web.Auth;

public static class ItsmClaims
{
    public const string Group = "itsm:group";
    public const string DisplayName = "itsm:display_name";
}
