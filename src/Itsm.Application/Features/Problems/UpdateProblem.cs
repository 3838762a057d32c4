using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>Changes a problem's common fields (description, priority, assignment). Problem managers own problems.</summary>
[AuthorizeRoles(Roles.ProblemManager, Roles.Admin)]
public sealed record UpdateProblem : UpdateTicket, IRequest<ProblemDetails>, ICommand;

public sealed class UpdateProblemValidator : IRequestValidator<UpdateProblem>
{
    public IEnumerable<(string, string)> Validate(UpdateProblem r) => r.ValidateCommon();
}

public sealed class UpdateProblemHandler(IItsmDbContext db, ICurrentUser user, IClock clock, TicketFieldEditor editor, ProblemDetailsBuilder details)
    : IRequestHandler<UpdateProblem, ProblemDetails>
{
    public async Task<ProblemDetails> Handle(UpdateProblem r, CancellationToken ct)
    {
        var problem = await db.Problems.LoadVisibleAsync(TicketKind.Problem, r.Number, user.Actor, ct);
        await editor.ApplyAsync(problem, r, user.Actor, clock.UtcNow, ct);
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(problem, ct);
    }
}
