using Itsm.Application.Common;
using MediatR;

namespace Itsm.Application.Features.Problems;

[AuthorizeRoles]
public sealed record GetProblem(string Number) : IRequest<ProblemDetails>;

public sealed class GetProblemHandler(ProblemDetailsBuilder details) : IRequestHandler<GetProblem, ProblemDetails>
{
    public Task<ProblemDetails> Handle(GetProblem request, CancellationToken ct) => details.BuildAsync(request.Number, ct);
}
