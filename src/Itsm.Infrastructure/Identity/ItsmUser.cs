using Microsoft.AspNetCore.Identity;

namespace Itsm.Infrastructure.Identity;

public class ItsmUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
