using Itsm.Application.Common;
using Itsm.Domain.Identity;
using MediatR;

namespace Itsm.Application.Features.Cmdb;

/// <summary>A CI as it is, or as it was at <see cref="AsOf"/>.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record GetConfigurationItem(long Id, DateTimeOffset? AsOf = null) : IRequest<CiDetails>;

public sealed class GetConfigurationItemHandler(ICurrentUser user, CiViews views) : IRequestHandler<GetConfigurationItem, CiDetails>
{
    public Task<CiDetails> Handle(GetConfigurationItem r, CancellationToken ct) => views.DetailsAsync(user.Actor, r.Id, r.AsOf, ct);
}
