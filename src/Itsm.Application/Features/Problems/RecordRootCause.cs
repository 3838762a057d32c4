using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>Records (or corrects) a problem's root cause and workaround; null or blank clears one.</summary>
[AuthorizeRoles(Roles.ProblemManager, Roles.Admin)]
public sealed record RecordRootCause : IRequest<ProblemDetails>, ICommand
{
    public string Number { get; init; } = "";
    public int? ExpectedVersion { get; init; }
    public string? RootCause { get; init; }
    public string? Workaround { get; init; }
}

public sealed class RecordRootCauseHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ProblemDetailsBuilder details)
    : IRequestHandler<RecordRootCause, ProblemDetails>
{
    public async Task<ProblemDetails> Handle(RecordRootCause r, CancellationToken ct)
    {
        var problem = await db.Problems.LoadVisibleAsync(TicketKind.Problem, r.Number, user.Actor, ct);
        problem.EnsureVersion(r.ExpectedVersion);
        problem.RecordRootCause(r.RootCause, r.Workaround, user.Actor, clock.UtcNow);
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(problem, ct);
    }
}
