using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

public sealed record FreeSlotView(DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// The scheduling assistant: the next free slots, of the change's own length, in the next 90 days, free of every
/// conflict kind (the same or related CIs in other changes, maintenance windows, blackouts, the implementer busy).
/// </summary>
[AuthorizeRoles]
public sealed record ProposeChangeSlots(string Number, int Count = 5) : IRequest<IReadOnlyList<FreeSlotView>>;

public sealed class ProposeChangeSlotsValidator : IRequestValidator<ProposeChangeSlots>
{
    public IEnumerable<(string, string)> Validate(ProposeChangeSlots r)
    {
        if (r.Count is < 1 or > 20) yield return ("count", "Ask for 1 to 20 slots.");
    }
}

public sealed class ProposeChangeSlotsHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ChangeAssessor assessor, ChangeSettings settings)
    : IRequestHandler<ProposeChangeSlots, IReadOnlyList<FreeSlotView>>
{
    public async Task<IReadOnlyList<FreeSlotView>> Handle(ProposeChangeSlots r, CancellationToken ct)
    {
        var change = await db.Changes.LoadVisibleAsync(TicketKind.Change, r.Number, user.Actor, ct);
        if (change.PlannedStart is not { } start || change.PlannedEnd is not { } end)
            throw new BusinessRuleException("change-not-planned", $"{change.Number} has no planned window yet: its length is what the assistant looks for.");
        var now = clock.UtcNow;
        var horizon = SchedulingAssistant.DefaultHorizon;
        var affected = await assessor.AffectedCisAsync(change, ct);
        var plan = new PlannedChange(change.Id, start, end, affected.Select(c => new PlanCi(c.Id, c.Name, c.ClassCode)).ToList(), [], change.ImplementerId);
        var others = await assessor.ScheduledAsync(now, now + horizon + (end - start), change.Id, ct);
        var slots = SchedulingAssistant.NextFreeSlots(plan, end - start, now, others, assessor.Neighbours, settings.ConflictHops,
            await assessor.WindowsAsync(ct), r.Count, horizon);
        return slots.Select(s => new FreeSlotView(s.Start, s.End)).ToList();
    }
}
