using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Identity;

public sealed class UserDirectory(ItsmDbContext db) : IUserDirectory
{
    public async Task<UserInfo?> FindAsync(string idOrUserName, CancellationToken ct)
    {
        // One query for the person and their roles: this runs on every ticket logged for a caller or assigned.
        var normalized = idOrUserName.Trim().ToUpperInvariant();
        var rows = await (from u in db.Users.Where(u => u.Id == idOrUserName || u.NormalizedUserName == normalized)
                          from ur in db.UserRoles.Where(ur => ur.UserId == u.Id).DefaultIfEmpty()
                          from r in db.Roles.Where(r => r.Id == ur!.RoleId).DefaultIfEmpty()
                          select new { u.Id, u.UserName, u.DisplayName, Role = r == null ? null : r.Name }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        var user = rows.FirstOrDefault(r => r.Id == idOrUserName) ?? rows[0]; // an id wins over another person's user name
        return Info(user.Id, user.UserName, user.DisplayName, rows.Where(r => r.Id == user.Id && r.Role is not null).Select(r => r.Role!));
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
        return users.Select(u => Info(u.Id, u.UserName, u.DisplayName, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!))).ToList();
    }

    /// <summary>A person as the use cases see them: the display name, or the user name when there is none.</summary>
    private static UserInfo Info(string id, string? userName, string? displayName, IEnumerable<string> roles) =>
        new(id, userName ?? "", string.IsNullOrEmpty(displayName) ? userName ?? "" : displayName, roles.ToList());
}
