using Itsm.Domain.Common;
using MediatR;

namespace Itsm.Application.Common;

/// <summary>Runs commands in one transaction, so a rule broken half-way changes nothing.</summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        request is ICommand ? unitOfWork.RunAsync(_ => next(), cancellationToken) : next();
}
