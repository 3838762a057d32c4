using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>Registers a CI in the CMDB, in a changeset of its own.</summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record RegisterConfigurationItem(string? Class, CiInput Values, string? Reason = null, string? ChangeNumber = null) : IRequest<CiDetails>, ICommand;

public sealed class RegisterConfigurationItemHandler(
    IItsmDbContext db, ICurrentUser user, CmdbModel model, CiInputResolver resolver, CmdbWriter writer, CiViews views)
    : IRequestHandler<RegisterConfigurationItem, CiDetails>
{
    public async Task<CiDetails> Handle(RegisterConfigurationItem r, CancellationToken ct)
    {
        var cls = model.RequireConcreteClass("class", r.Class);
        var values = await resolver.RequireAsync(cls, r.Values, null, ct);
        if (CiValidation.IdentityKey(cls, values) is { } key && await db.ConfigurationItems.AnyAsync(c => c.ClassCode == cls.Code && c.IdentityKey == key, ct))
            throw new BusinessRuleException("ci-duplicate",
                $"A {cls.Code} with the same {string.Join(" and ", cls.Identifiers)} is already in the CMDB.");
        var changeset = await writer.BeginAsync(user.Actor, r.Reason, r.ChangeNumber, null, ct);
        var ci = ConfigurationItem.Register(cls, values, null, null, changeset);
        db.ConfigurationItems.Add(ci);
        await writer.SaveAsync(ct);
        writer.Record(CmdbChangeEntry.Created(changeset.Id, ci));
        await writer.SaveAsync(ct);
        return await views.DetailsAsync(user.Actor, ci.Id, null, ct);
    }
}
