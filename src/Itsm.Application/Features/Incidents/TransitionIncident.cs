using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Moves an incident through its lifecycle by a named transition. Resolving a major incident resolves its open children.</summary>
[AuthorizeRoles]
public sealed record TransitionIncident : IRequest<IncidentDetails>, ICommand
{
    public string Number { get; init; } = "";
    public string Transition { get; init; } = "";
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();
    public int? ExpectedVersion { get; init; }
}

public sealed class TransitionIncidentHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, IncidentDetailsBuilder details)
    : IRequestHandler<TransitionIncident, IncidentDetails>
{
    public async Task<IncidentDetails> Handle(TransitionIncident r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Transition)) throw new FieldValidationException("transition", "The transition is required.");
        var actor = user.Actor;
        var now = clock.UtcNow;
        var process = processes.For(TicketKind.Incident);
        var incident = await db.LoadVisibleAsync(r.Number, actor, ct);
        incident.EnsureVersion(r.ExpectedVersion);
        incident.ApplyTransition(process, r.Transition, r.Fields, actor, now);

        if (incident.ResolvedAt == now)
        {
            // Children follow their major incident into resolution.
            var active = process.ActiveStates.ToList();
            var children = await db.Incidents.Where(i => i.ParentIncidentId == incident.Id && active.Contains(i.State)).ToListAsync(ct);
            foreach (var child in children) child.ResolveWithParent(incident, process, Actor.System, now);
        }

        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(incident, ct);
    }
}
