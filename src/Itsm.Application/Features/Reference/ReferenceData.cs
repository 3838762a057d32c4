using System.Text.Json.Serialization;
using Itsm.Application.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

/// <summary>
/// An assignment group. <see cref="Members"/> (who is in it, their user names and roles) is for fulfillers only: for a
/// requester it is null and left out of the JSON, so the portal learns the group's name but not the people behind it.
/// </summary>
public sealed record GroupItem(Guid Id, string Name, string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<UserInfo>? Members);
public sealed record CategoryItem(string Code, string Label, Guid? DefaultGroupId);

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

[AuthorizeRoles]
public sealed record ListCategories : IRequest<IReadOnlyList<CategoryItem>>;

public sealed class ListCategoriesHandler(IItsmDbContext db) : IRequestHandler<ListCategories, IReadOnlyList<CategoryItem>>
{
    public async Task<IReadOnlyList<CategoryItem>> Handle(ListCategories r, CancellationToken ct) =>
        await db.Categories.AsNoTracking().OrderBy(c => c.Label).Select(c => new CategoryItem(c.Code, c.Label, c.DefaultGroupId)).ToListAsync(ct);
}
