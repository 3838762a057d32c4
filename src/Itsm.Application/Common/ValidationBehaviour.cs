using Itsm.Domain.Common;
using MediatR;

namespace Itsm.Application.Common;

public sealed class ValidationBehaviour<TRequest, TResponse>(IEnumerable<IRequestValidator<TRequest>> validators)
    : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var errors = validators.SelectMany(v => v.Validate(request))
            .GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return next();
    }
}
