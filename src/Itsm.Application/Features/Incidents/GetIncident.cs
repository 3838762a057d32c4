using Itsm.Application.Common;
using MediatR;

namespace Itsm.Application.Features.Incidents;

[AuthorizeRoles]
public sealed record GetIncident(string Number) : IRequest<IncidentDetails>;

public sealed class GetIncidentHandler(IncidentDetailsBuilder details) : IRequestHandler<GetIncident, IncidentDetails>
{
    public Task<IncidentDetails> Handle(GetIncident request, CancellationToken ct) => details.BuildAsync(request.Number, ct);
}
