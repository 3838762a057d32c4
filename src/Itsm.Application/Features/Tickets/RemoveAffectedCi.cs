using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>Removes an affected CI from a ticket; the impacted services are recomputed in the same transaction.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record RemoveAffectedCi(TicketKind Kind, string Number, long CiId, int? ExpectedVersion = null) : IRequest<TicketCisView>, ICommand;

public sealed class RemoveAffectedCiHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ICmdbGraph graph, CmdbModel model, CiViews views, IEnumerable<IAffectedCisReaction> reactions)
    : IRequestHandler<RemoveAffectedCi, TicketCisView>
{
    public async Task<TicketCisView> Handle(RemoveAffectedCi r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        TicketAccess.EnsureMayWork(r.Kind, actor);
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, actor, ct);
        ticket.EnsureVersion(r.ExpectedVersion);
        var rows = await db.TicketConfigurationItems.Where(x => x.TicketId == ticket.Id).ToListAsync(ct);
        var row = rows.FirstOrDefault(x => x.Role == TicketCiRole.Affected && x.CiId == r.CiId);
        var ci = await db.ConfigurationItems.AsNoTracking().Where(c => c.Id == r.CiId)
            .Select(c => new { c.Id, c.Name, c.Restricted, c.OwnerGroupId, c.SupportGroupId }).FirstOrDefaultAsync(ct);
        // Someone outside a restricted CI's groups can still take it off: they see it on the ticket as "Restricted CI".
        if (row is null || ci is null) throw new NotFoundException($"Affected CI {r.CiId} of {ticket.Number}");

        db.TicketConfigurationItems.Remove(row);
        rows.Remove(row);
        ticket.RecordConfigurationItems(ImpactedServices.AffectedField, ImpactedServices.Label(ci.Id, ci.Name, ci.Restricted), null, actor, now);
        await ImpactedServices.RefreshAsync(db, graph, model, ticket, rows, actor, now, ct);
        foreach (var reaction in reactions.Where(x => x.Kind == r.Kind)) await reaction.ReactAsync(ticket, actor, now, ct);
        await db.SaveChangesAsync(ct);
        return await new TicketCiViewBuilder(db, graph, model, views).BuildAsync(ticket.Id, ticket.Number, ticket.Version, actor, ct);
    }
}
