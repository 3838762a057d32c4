using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>A person includes a business service among a ticket's impacted services; from then on it stays, whatever the graph says.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record IncludeImpactedService(TicketKind Kind, string Number, long CiId, int? ExpectedVersion = null) : IRequest<TicketCisView>, ICommand;

/// <summary>A person excludes a service from a ticket's impacted services; the exclusion is kept across refreshes.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ExcludeImpactedService(TicketKind Kind, string Number, long CiId, int? ExpectedVersion = null) : IRequest<TicketCisView>, ICommand;

public sealed class ImpactedServiceDecisionHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ICmdbGraph graph, CmdbModel model, CiViews views)
    : IRequestHandler<IncludeImpactedService, TicketCisView>, IRequestHandler<ExcludeImpactedService, TicketCisView>
{
    public Task<TicketCisView> Handle(IncludeImpactedService r, CancellationToken ct) => DecideAsync(r.Kind, r.Number, r.CiId, false, r.ExpectedVersion, ct);

    public Task<TicketCisView> Handle(ExcludeImpactedService r, CancellationToken ct) => DecideAsync(r.Kind, r.Number, r.CiId, true, r.ExpectedVersion, ct);

    private async Task<TicketCisView> DecideAsync(TicketKind kind, string number, long ciId, bool excluded, int? expectedVersion, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        TicketAccess.EnsureMayWork(kind, actor);
        var ticket = await db.LoadVisibleAsync(kind, number, actor, ct);
        ticket.EnsureVersion(expectedVersion);
        var ci = await db.ConfigurationItems.AsNoTracking().FirstOrDefaultAsync(c => c.Id == ciId, ct);
        if (ci is null || !actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId)) throw new NotFoundException($"CI {ciId}");
        if (!ImpactedServices.IsService(model, ci.ClassCode))
            throw new FieldValidationException("ciId", $"{ci.Name} is not a business service; only services are impacted services.");

        var row = await db.TicketConfigurationItems.FirstOrDefaultAsync(x => x.TicketId == ticket.Id && x.Role == TicketCiRole.ImpactedService && x.CiId == ciId, ct);
        var label = ImpactedServices.Label(ci.Id, ci.Name, ci.Restricted);
        string? before = null;
        if (row is null)
        {
            if (ci.Status == CiStatus.Retired && !excluded)
                throw new BusinessRuleException("ci-retired", $"{ci.Name} is retired; it cannot be an impacted service any more.");
            db.TicketConfigurationItems.Add(new TicketConfigurationItem(ticket.Id, ci.Id, TicketCiRole.ImpactedService, TicketCiOrigin.Manual, excluded, now, actor.UserName));
        }
        else if (row.Origin == TicketCiOrigin.Manual && row.Excluded == excluded)
        {
            // Already as asked: nothing to record.
            return await new TicketCiViewBuilder(db, graph, model, views).BuildAsync(ticket.Id, ticket.Number, ticket.Version, actor, ct);
        }
        else
        {
            before = $"{label}{(row.Excluded ? " — excluded" : row.Origin == TicketCiOrigin.Computed ? " — computed" : "")}";
            row.Decide(excluded, now, actor.UserName);
        }
        ticket.RecordConfigurationItems(ImpactedServices.ServicesField, before, $"{label} — {(excluded ? "excluded" : "included")}", actor, now);
        await db.SaveChangesAsync(ct);
        return await new TicketCiViewBuilder(db, graph, model, views).BuildAsync(ticket.Id, ticket.Number, ticket.Version, actor, ct);
    }
}
