using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Tickets;

/// <summary>Moves a ticket of any kind through its lifecycle by a named transition of its process.</summary>
[AuthorizeRoles]
public sealed record TransitionTicket : IRequest<TicketTransitioned>, ICommand
{
    public TicketKind Kind { get; init; }
    public string Number { get; init; } = "";
    public string Transition { get; init; } = "";
    public IReadOnlyDictionary<string, string?> Fields { get; init; } = new Dictionary<string, string?>();
    public int? ExpectedVersion { get; init; }
}

public sealed class TransitionTicketHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, IEnumerable<ITransitionReaction> reactions,
    IEnumerable<ITransitionPreparation> preparations)
    : IRequestHandler<TransitionTicket, TicketTransitioned>
{
    public async Task<TicketTransitioned> Handle(TransitionTicket r, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(r.Transition)) throw new FieldValidationException("transition", "The transition is required.");
        var actor = user.Actor;
        var now = clock.UtcNow;
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, actor, ct);
        ticket.EnsureVersion(r.ExpectedVersion);
        foreach (var preparation in preparations.Where(x => x.Kind == r.Kind))
            await preparation.PrepareAsync(ticket, now, ct);
        var outcome = ticket.ApplyTransition(processes.For(r.Kind), r.Transition, r.Fields, actor, now);
        foreach (var reaction in reactions.Where(x => x.Kind == r.Kind))
            await reaction.ReactAsync(ticket, outcome, actor, now, ct);
        await db.SaveChangesAsync(ct);
        return new TicketTransitioned(ticket.Number, outcome);
    }
}
