using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Identity;

public sealed class UserDirectory(ItsmDbContext db) : IUserDirectory
{
    public async Task<UserInfo?> FindAsync(string idOrUserName, CancellationToken ct)
    {
        var normalized = idOrUserName.Trim().ToUpperInvariant();
        var user = await db.Users.AsNoTracking()
            .FirstOrDefaultAsync(u => u.Id == idOrUserName || u.NormalizedUserName == normalized, ct);
        return user is null ? null : (await WithRolesAsync([user], ct))[0];
    }

    public async Task<IReadOnlyList<UserInfo>> ListAsync(IEnumerable<string> ids, CancellationToken ct)
    {
        var wanted = ids.ToList();
        var users = await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToListAsync(ct);
        return await WithRolesAsync(users, ct);
    }

    private async Task<IReadOnlyList<UserInfo>> WithRolesAsync(IReadOnlyList<ItsmUser> users, CancellationToken ct)
    {
        var ids = users.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return users.Select(u => new UserInfo(u.Id, u.UserName ?? "", string.IsNullOrEmpty(u.DisplayName) ? u.UserName ?? "" : u.DisplayName,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList())).ToList();
    }
}
