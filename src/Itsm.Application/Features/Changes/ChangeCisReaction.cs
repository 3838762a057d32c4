using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// A change's affected CIs changed: a standard change keeps to its template's classes; a normal change being authorised
/// goes back to New (its CIs are frozen); an emergency change being authorised has its approvers recomputed; every change
/// is re-assessed.
/// </summary>
public sealed class ChangeCisReaction(ChangeEditor editor, ChangeApprovalService approvals, StandardChangeCatalog catalog, IProcessCatalog processes)
    : IAffectedCisReaction
{
    public TicketKind Kind => TicketKind.Change;

    public async Task ReactAsync(Ticket ticket, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var change = (Change)ticket;
        if (change.Type == ChangeType.Standard && catalog.Find(change.TemplateCode) is { } template)
            foreach (var ci in await editor.AffectedCisAsync(change, ct)) editor.CheckTemplateClass(template, ci.ClassCode, ci.Name, "ci");
        if (change.State == Change.AuthorizeState && change.Type == ChangeType.Normal)
            await approvals.SendBackAsync(change, processes.For(TicketKind.Change), "its CIs were changed while it was being authorised", actor, now, ct);
        // Recomputing the approvers assesses the change already; every other path assesses here.
        if (change.State == Change.AuthorizeState && change.Type != ChangeType.Normal)
            await approvals.RecomputeAsync(change, "the change's CIs changed", now, ct);
        else
            await editor.AssessAsync(change, now, ct);
    }
}
