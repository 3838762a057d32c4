using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Cmdb;

/// <summary>Changes a CI's fields (those given), checked against its version when <see cref="ExpectedVersion"/> is set.</summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record UpdateConfigurationItem(long Id, CiInput Values, int? ExpectedVersion, string? Reason = null, string? ChangeNumber = null)
    : IRequest<CiDetails>, ICommand;

public sealed class UpdateConfigurationItemHandler(
    ICurrentUser user, CmdbModel model, SourcePrecedence precedence, CiInputResolver resolver, CmdbWriter writer, CiViews views)
    : IRequestHandler<UpdateConfigurationItem, CiDetails>
{
    public async Task<CiDetails> Handle(UpdateConfigurationItem r, CancellationToken ct)
    {
        var ci = await views.LoadForWriteAsync(user.Actor, r.Id, ct);
        ci.CheckVersion(r.ExpectedVersion);
        var cls = model.Class(ci.ClassCode);
        var values = await resolver.RequireAsync(cls, r.Values, ci.CurrentValues(), ct);
        var changeset = await writer.BeginAsync(user.Actor, r.Reason, r.ChangeNumber, null, ct);
        writer.RecordUpdate(changeset, ci, ci.Update(cls, values, null, precedence, changeset));
        await writer.SaveAsync(ct);
        return await views.DetailsAsync(user.Actor, ci.Id, null, ct);
    }
}

/// <summary>Retires a CI: it stays in the CMDB, with its history, but carries no impact and takes no new relationships.</summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record RetireConfigurationItem(long Id, int? ExpectedVersion, string? Reason = null, string? ChangeNumber = null)
    : IRequest<CiDetails>, ICommand;

public sealed class RetireConfigurationItemHandler(IMediator mediator) : IRequestHandler<RetireConfigurationItem, CiDetails>
{
    public Task<CiDetails> Handle(RetireConfigurationItem r, CancellationToken ct) =>
        mediator.Send(new UpdateConfigurationItem(r.Id, new CiInput { Status = CiStatus.Retired.Display() }, r.ExpectedVersion, r.Reason, r.ChangeNumber), ct);
}
