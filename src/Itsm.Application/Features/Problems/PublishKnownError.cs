using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>Publishes a problem as a known error (it needs a root cause and a workaround), or with Publish false withdraws it.</summary>
[AuthorizeRoles(Roles.ProblemManager, Roles.Admin)]
public sealed record PublishKnownError(string Number, bool Publish = true, int? ExpectedVersion = null) : IRequest<ProblemDetails>, ICommand;

public sealed class PublishKnownErrorHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ProblemDetailsBuilder details)
    : IRequestHandler<PublishKnownError, ProblemDetails>
{
    public async Task<ProblemDetails> Handle(PublishKnownError r, CancellationToken ct)
    {
        var problem = await db.Problems.LoadVisibleAsync(TicketKind.Problem, r.Number, user.Actor, ct);
        problem.EnsureVersion(r.ExpectedVersion);
        if (r.Publish) problem.PublishKnownError(user.Actor, clock.UtcNow);
        else problem.RetractKnownError(user.Actor, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(problem, ct);
    }
}
