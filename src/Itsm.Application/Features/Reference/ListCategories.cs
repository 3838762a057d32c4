using Itsm.Application.Common;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Reference;

[AuthorizeRoles]
public sealed record ListCategories : IRequest<IReadOnlyList<CategoryItem>>;

public sealed class ListCategoriesHandler(IItsmDbContext db) : IRequestHandler<ListCategories, IReadOnlyList<CategoryItem>>
{
    public async Task<IReadOnlyList<CategoryItem>> Handle(ListCategories r, CancellationToken ct) =>
        await db.Categories.AsNoTracking().OrderBy(c => c.Label).Select(c => new CategoryItem(c.Code, c.Label, c.DefaultGroupId)).ToListAsync(ct);
}
