using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>A ticket's affected CIs and impacted services, with paths. For the people who read the CMDB; requesters see none of it.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListTicketCis(TicketKind Kind, string Number) : IRequest<TicketCisView>;

public sealed class ListTicketCisHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, CmdbModel model, CiViews views)
    : IRequestHandler<ListTicketCis, TicketCisView>
{
    public async Task<TicketCisView> Handle(ListTicketCis r, CancellationToken ct)
    {
        var actor = user.Actor;
        var key = TicketAccess.Key(r.Kind, r.Number);
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Kind == r.Kind).VisibleTo(r.Kind, actor).Where(t => t.Number == key)
                         .Select(t => new { t.Id, t.Number, t.Version }).FirstOrDefaultAsync(ct)
                     ?? throw new Itsm.Domain.Common.NotFoundException($"{TicketAccess.Noun(r.Kind)} {key}");
        return await new TicketCiViewBuilder(db, graph, model, views).BuildAsync(ticket.Id, ticket.Number, ticket.Version, actor, ct);
    }
}
