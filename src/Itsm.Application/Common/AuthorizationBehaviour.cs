using Itsm.Domain.Common;
using MediatR;

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
