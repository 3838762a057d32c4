using Itsm.Application.Common;
using MediatR;

namespace Itsm.Application.Features.Changes;

[AuthorizeRoles]
public sealed record GetChange(string Number) : IRequest<ChangeDetails>;

public sealed class GetChangeHandler(ChangeDetailsBuilder details) : IRequestHandler<GetChange, ChangeDetails>
{
    public Task<ChangeDetails> Handle(GetChange request, CancellationToken ct) => details.BuildAsync(request.Number, ct);
}
