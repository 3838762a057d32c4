using System.Diagnostics;
using Itsm.Domain.Common;
using MediatR;
using Microsoft.Extensions.Logging;

namespace Itsm.Application.Common;

/// <summary>Checks the request's <see cref="AuthorizeRolesAttribute"/> against the current user.</summary>
public sealed class AuthorizationBehaviour<TRequest, TResponse>(ICurrentUser user) : IPipelineBehavior<TRequest, TResponse>
{
    private static readonly AuthorizeRolesAttribute? Rule =
        (AuthorizeRolesAttribute?)Attribute.GetCustomAttribute(typeof(TRequest), typeof(AuthorizeRolesAttribute));

    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        if (Rule is not null)
        {
            if (!user.IsAuthenticated) throw new UnauthorizedAccessException();
            if (Rule.Roles.Count > 0 && !Rule.Roles.Any(user.Actor.IsInRole))
                throw new ForbiddenException($"This needs one of the roles {string.Join(", ", Rule.Roles)}.");
        }
        return next();
    }
}

/// <summary>A request's own checks of its fields, run before the handler.</summary>
public interface IRequestValidator<in TRequest>
{
    IEnumerable<(string Field, string Message)> Validate(TRequest request);
}

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

/// <summary>Runs commands in one transaction, so a rule broken half-way changes nothing.</summary>
public sealed class UnitOfWorkBehaviour<TRequest, TResponse>(IUnitOfWork unitOfWork) : IPipelineBehavior<TRequest, TResponse>
{
    public Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next) =>
        request is ICommand ? unitOfWork.RunAsync(_ => next(), cancellationToken) : next();
}

/// <summary>Warns about slow use cases, with the request's name only (no personal data).</summary>
public sealed class PerformanceBehaviour<TRequest, TResponse>(ILogger<PerformanceBehaviour<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await next();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (elapsed > TimeSpan.FromMilliseconds(500))
            logger.LogWarning("Slow request {Request} took {ElapsedMs} ms", typeof(TRequest).Name, (long)elapsed.TotalMilliseconds);
        return response;
    }
}
