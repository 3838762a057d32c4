using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>
/// Links an incident to the problem behind it (an incident has at most one problem; linking moves it), or with Link
/// false unlinks it. The service desk, engineers and problem managers link.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.Engineer, Roles.ProblemManager, Roles.Admin)]
public sealed record LinkIncidentToProblem(string ProblemNumber, string IncidentNumber, bool Link = true) : IRequest<ProblemDetails>, ICommand;

public sealed class LinkIncidentToProblemHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ProblemDetailsBuilder details)
    : IRequestHandler<LinkIncidentToProblem, ProblemDetails>
{
    public async Task<ProblemDetails> Handle(LinkIncidentToProblem r, CancellationToken ct)
    {
        var actor = user.Actor;
        var problem = await db.Problems.LoadVisibleAsync(TicketKind.Problem, r.ProblemNumber, actor, ct);
        var key = (r.IncidentNumber ?? "").Trim().ToUpperInvariant();
        var incident = TicketNumber.TryParse(key, out var n) && n.Kind == TicketKind.Incident
            ? await db.Incidents.LoadVisibleAsync(TicketKind.Incident, key, actor, ct)
            : throw new FieldValidationException("incident", $"'{r.IncidentNumber}' is not an incident number.");
        if (r.Link) incident.LinkToProblem(problem, actor, clock.UtcNow);
        else if (incident.ProblemId == problem.Id) incident.LinkToProblem(null, actor, clock.UtcNow);
        else throw new NotFoundException($"A link from {incident.Number} to {problem.Number}");
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(problem, ct);
    }
}
