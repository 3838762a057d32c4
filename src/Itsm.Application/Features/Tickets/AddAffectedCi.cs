using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// Adds a CI that is down, degraded or changing to a ticket, by id or by its exact name; the impacted services are
/// recomputed in the same transaction. Only the people who work tickets of the kind.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record AddAffectedCi(TicketKind Kind, string Number, long? CiId, string? Name = null, int? ExpectedVersion = null)
    : IRequest<TicketCisView>, ICommand;

public sealed class AddAffectedCiValidator : IRequestValidator<AddAffectedCi>
{
    public const int MaxName = 200;

    public IEnumerable<(string, string)> Validate(AddAffectedCi r)
    {
        if (r.CiId is null && string.IsNullOrWhiteSpace(r.Name)) yield return ("ci", "Give the CI's id or its exact name.");
        if (r.CiId is not null && !string.IsNullOrWhiteSpace(r.Name)) yield return ("ci", "Give the CI's id or its name, not both.");
        if (r.CiId is <= 0) yield return ("ciId", "A CI id is a positive whole number.");
        if (r.Name is { Length: > MaxName }) yield return ("name", $"At most {MaxName} characters.");
    }
}

public sealed class AddAffectedCiHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ICmdbGraph graph, CmdbModel model, CiViews views, IEnumerable<IAffectedCisReaction> reactions)
    : IRequestHandler<AddAffectedCi, TicketCisView>
{
    public async Task<TicketCisView> Handle(AddAffectedCi r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        TicketAccess.EnsureMayWork(r.Kind, actor);
        var ticket = await db.LoadVisibleAsync(r.Kind, r.Number, actor, ct);
        ticket.EnsureVersion(r.ExpectedVersion);
        var ci = await FindAsync(r, actor, ct);
        if (ci.Status == CiStatus.Retired)
            throw new BusinessRuleException("ci-retired", $"{ci.Name} is retired; it cannot be affected any more.");
        var rows = await db.TicketConfigurationItems.Where(x => x.TicketId == ticket.Id).ToListAsync(ct);
        if (rows.Any(x => x.Role == TicketCiRole.Affected && x.CiId == ci.Id))
            throw new BusinessRuleException("ci-already-affected", $"{ci.Name} is already an affected CI of {ticket.Number}.");
        if (rows.Count(x => x.Role == TicketCiRole.Affected) >= ImpactedServices.MaxAffectedCis)
            throw new BusinessRuleException("too-many-cis", $"A ticket has at most {ImpactedServices.MaxAffectedCis} affected CIs.");

        var row = new TicketConfigurationItem(ticket.Id, ci.Id, TicketCiRole.Affected, TicketCiOrigin.Manual, false, now, actor.UserName);
        db.TicketConfigurationItems.Add(row);
        rows.Add(row);
        ticket.RecordConfigurationItems(ImpactedServices.AffectedField, null, ImpactedServices.Label(ci.Id, ci.Name, ci.Restricted), actor, now);
        await ImpactedServices.RefreshAsync(db, graph, model, ticket, rows, actor, now, ct);
        foreach (var reaction in reactions.Where(x => x.Kind == r.Kind)) await reaction.ReactAsync(ticket, actor, now, ct);
        await db.SaveChangesAsync(ct);
        return await new TicketCiViewBuilder(db, graph, model, views).BuildAsync(ticket.Id, ticket.Number, ticket.Version, actor, ct);
    }

    /// <summary>The CI by id or exact name, among those the caller may see; a CI they may not see does not exist for them.</summary>
    private async Task<ConfigurationItem> FindAsync(AddAffectedCi r, Actor actor, CancellationToken ct)
    {
        if (r.CiId is { } id)
        {
            var ci = await db.ConfigurationItems.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            return ci is not null && actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId)
                ? ci
                : throw new FieldValidationException("ciId", $"There is no CI {id}.");
        }
        var name = r.Name!.Trim();
        var found = (await db.ConfigurationItems.AsNoTracking().Where(c => c.Name == name).Take(50).ToListAsync(ct))
            .Where(c => actor.MaySee(c.Restricted, c.OwnerGroupId, c.SupportGroupId)).ToList();
        return found.Count switch
        {
            0 => throw new FieldValidationException("name", $"There is no CI named '{name}'."),
            1 => found[0],
            _ => throw new FieldValidationException("name", $"{found.Count} CIs are named '{name}'; give the id of the one you mean ({string.Join(", ", found.Take(5).Select(c => c.Id))})."),
        };
    }
}
