using Itsm.Application.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

public sealed record GroupItem(Guid Id, string Name, IReadOnlyList<UserInfo> Members);
public sealed record CategoryItem(string Code, string Label, Guid? DefaultGroupId);

/// <summary>Assignment groups with their members, for assignment pickers.</summary>
[AuthorizeRoles]
public sealed record ListAssignmentGroups : IRequest<IReadOnlyList<GroupItem>>;

public sealed class ListAssignmentGroupsHandler(IItsmDbContext db, IUserDirectory users) : IRequestHandler<ListAssignmentGroups, IReadOnlyList<GroupItem>>
{
    public async Task<IReadOnlyList<GroupItem>> Handle(ListAssignmentGroups r, CancellationToken ct)
    {
        var groups = await db.AssignmentGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Name).ToListAsync(ct);
        var people = (await users.ListAsync(groups.SelectMany(g => g.Members.Select(m => m.UserId)).Distinct(), ct)).ToDictionary(u => u.Id);
        return groups.Select(g => new GroupItem(g.Id, g.Name,
            g.Members.Where(m => people.ContainsKey(m.UserId)).Select(m => people[m.UserId]).OrderBy(u => u.DisplayName).ToList())).ToList();
    }
}

[AuthorizeRoles]
public sealed record ListCategories : IRequest<IReadOnlyList<CategoryItem>>;

public sealed class ListCategoriesHandler(IItsmDbContext db) : IRequestHandler<ListCategories, IReadOnlyList<CategoryItem>>
{
    public async Task<IReadOnlyList<CategoryItem>> Handle(ListCategories r, CancellationToken ct) =>
        await db.Categories.AsNoTracking().OrderBy(c => c.Label).Select(c => new CategoryItem(c.Code, c.Label, c.DefaultGroupId)).ToListAsync(ct);
}
