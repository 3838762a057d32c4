using Itsm.Application.Common;
using MediatR;

namespace Itsm.Application.Features.Incidents;

[AuthorizeRoles]
public sealed record GetIncident(string Number) : IRequest<IncidentDetails>;

public sealed class GetIncidentHandler(IItsmDbContext db, ICurrentUser user, IncidentDetailsBuilder details)
    : IRequestHandler<GetIncident, IncidentDetails>
{
    public async Task<IncidentDetails> Handle(GetIncident request, CancellationToken ct) =>
        await details.BuildAsync(await db.LoadVisibleAsync(request.Number, user.Actor, ct), ct);
}
