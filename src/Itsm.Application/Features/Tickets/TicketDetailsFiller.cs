using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>What every module's details builder does after mapping: labels from the process, internals hidden from requesters.</summary>
public sealed class TicketDetailsFiller(IProcessCatalog processes)
{
    public void Fill(TicketDetails details, TicketKind kind, Actor actor)
    {
        var state = processes.For(kind).State(details.State);
        details.StateLabel = state.Label;
        details.IsActive = state.IsActive;
        if (actor.IsFulfiller) return;
        details.PriorityOverrideReason = null;
        details.ReassignmentCount = null;
    }
}
