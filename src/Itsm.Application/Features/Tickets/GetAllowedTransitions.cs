using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Tickets;

/// <summary>The transitions the process and the caller's role allow on this ticket now, with the fields each takes.</summary>
[AuthorizeRoles]
public sealed record GetAllowedTransitions(TicketKind Kind, string Number) : IRequest<IReadOnlyList<TransitionOption>>;

public sealed class GetAllowedTransitionsHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes)
    : IRequestHandler<GetAllowedTransitions, IReadOnlyList<TransitionOption>>
{
    public async Task<IReadOnlyList<TransitionOption>> Handle(GetAllowedTransitions r, CancellationToken ct)
    {
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, user.Actor, ct);
        var process = processes.For(r.Kind);
        if (ticket.ClosedAt is not null) return [];
        return Lifecycle.Allowed(process, ticket, user.Actor, clock.UtcNow)
            .Select(t => new TransitionOption(t.Name, t.Label, t.To, t.RequiredFields, t.OptionalFields)).ToList();
    }
}
