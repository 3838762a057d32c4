using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Incidents;

/// <summary>The transitions the process and the caller's role allow on this incident now.</summary>
[AuthorizeRoles]
public sealed record GetAllowedTransitions(string Number) : IRequest<IReadOnlyList<TransitionOption>>;

public sealed class GetAllowedTransitionsHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes)
    : IRequestHandler<GetAllowedTransitions, IReadOnlyList<TransitionOption>>
{
    public async Task<IReadOnlyList<TransitionOption>> Handle(GetAllowedTransitions r, CancellationToken ct)
    {
        var incident = await db.LoadVisibleAsync(r.Number, user.Actor, ct);
        var process = processes.For(TicketKind.Incident);
        return Lifecycle.Allowed(process, incident, user.Actor, clock.UtcNow)
            .Select(t => new TransitionOption(t.Name, t.Label, t.To, t.RequiredFields)).ToList();
    }
}
