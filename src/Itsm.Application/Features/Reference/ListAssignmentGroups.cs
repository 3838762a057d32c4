using Itsm.Application.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

/// <summary>
/// Assignment groups by name. Fulfillers get each group's members (for assignment pickers); anyone else only the
/// group's id, name and description.
/// </summary>
[AuthorizeRoles]
public sealed record ListAssignmentGroups : IRequest<IReadOnlyList<GroupItem>>;

public sealed class ListAssignmentGroupsHandler(IItsmDbContext db, IUserDirectory users, ICurrentUser user) : IRequestHandler<ListAssignmentGroups, IReadOnlyList<GroupItem>>
{
    public async Task<IReadOnlyList<GroupItem>> Handle(ListAssignmentGroups r, CancellationToken ct)
    {
        if (!user.Actor.IsFulfiller)
            return await db.AssignmentGroups.AsNoTracking().OrderBy(g => g.Name)
                .Select(g => new GroupItem(g.Id, g.Name, g.Description, null)).ToListAsync(ct);
        var groups = await db.AssignmentGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Name).ToListAsync(ct);
        var people = (await users.ListAsync(groups.SelectMany(g => g.Members.Select(m => m.UserId)).Distinct(), ct)).ToDictionary(u => u.Id);
        return groups.Select(g => new GroupItem(g.Id, g.Name, g.Description,
            g.Members.Where(m => people.ContainsKey(m.UserId)).Select(m => people[m.UserId]).OrderBy(u => u.DisplayName).ToList())).ToList();
    }
}
