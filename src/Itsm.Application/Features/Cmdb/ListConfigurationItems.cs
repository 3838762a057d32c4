using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Searches CIs: by class (its subclasses included), name (contains), status, environment, and one attribute value
/// (<c>attribute=name:value</c>, exact); by name, 50 to a page.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListConfigurationItems : IRequest<Page<CiSummary>>
{
    public string? Class { get; init; }
    public string? Name { get; init; }
    public string? Status { get; init; }
    public string? Environment { get; init; }
    public string? Attribute { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 50;
}

public sealed class ListConfigurationItemsValidator(CmdbModel model) : IRequestValidator<ListConfigurationItems>
{
    public IEnumerable<(string, string)> Validate(ListConfigurationItems r)
    {
        if (r.Class is not null && model.FindClass(r.Class) is null)
            yield return ("class", $"'{r.Class}' is not a CI class. Classes: {string.Join(", ", model.Classes.Select(c => c.Code))}.");
        if (r.Status is not null && !CiStatusText.TryParse(r.Status, out _)) yield return ("status", $"Status must be {CiStatusText.Allowed}.");
        if (r.Attribute is not null && !r.Attribute.Contains(':')) yield return ("attribute", "Write the attribute filter as name:value.");
        if (r.Name is { Length: > 255 }) yield return ("name", "At most 255 characters.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > 200) yield return ("pageSize", "A page holds 1 to 200 CIs.");
    }
}

public sealed class ListConfigurationItemsHandler(IItsmDbContext db, ICurrentUser user, CmdbModel model, ITextSearch text)
    : IRequestHandler<ListConfigurationItems, Page<CiSummary>>
{
    public async Task<Page<CiSummary>> Handle(ListConfigurationItems r, CancellationToken ct)
    {
        var actor = user.Actor;
        var q = db.ConfigurationItems.AsNoTracking();
        if (model.FindClass(r.Class) is { } cls)
        {
            var codes = model.WithSubclasses(cls).Select(c => c.Code).ToList();
            q = q.Where(c => codes.Contains(c.ClassCode));
        }
        if (!string.IsNullOrWhiteSpace(r.Name)) q = q.Where(text.Contains<ConfigurationItem>(c => c.Name, r.Name.Trim()));
        if (r.Status is not null && CiStatusText.TryParse(r.Status, out var status)) q = q.Where(c => c.Status == status);
        if (!string.IsNullOrWhiteSpace(r.Environment)) q = q.Where(c => c.Environment == model.NormalizeEnvironment(r.Environment));
        if (!actor.IsInRole(Roles.Admin))
        {
            var groups = actor.GroupIds.ToList();
            q = q.Where(c => !c.Restricted || (c.OwnerGroupId != null && groups.Contains(c.OwnerGroupId.Value))
                                           || (c.SupportGroupId != null && groups.Contains(c.SupportGroupId.Value)));
        }
        if (r.Attribute is { } attr && attr.Split(':', 2) is [var name, var value]) q = text.WithAttribute(q, name.Trim(), value.Trim());
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip((r.Page - 1) * r.PageSize).Take(r.PageSize)
            .Select(c => new { c.Id, c.Name, c.ClassCode, c.Status, c.Criticality, c.Restricted }).ToListAsync(ct);
        var items = rows.Select(c => new CiSummary(c.Id, c.Name, c.ClassCode, model.FindClass(c.ClassCode)?.Name ?? c.ClassCode,
            c.Status.Display(), c.Criticality, c.Restricted)).ToList();
        return new Page<CiSummary>(items, total, r.Page, r.PageSize);
    }
}
