using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Changes an incident's fields. Only the fields that are set change; the expected version guards against lost updates.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record UpdateIncident : UpdateTicket, IRequest<IncidentDetails>, ICommand
{
    /// <summary>The major incident this one belongs to, or null to unlink.</summary>
    public Optional<string?> ParentIncidentNumber { get; init; }

    /// <summary>The change that caused the incident, or null to clear it.</summary>
    public Optional<string?> CausedByChangeNumber { get; init; }
}

public sealed class UpdateIncidentValidator : IRequestValidator<UpdateIncident>
{
    public IEnumerable<(string, string)> Validate(UpdateIncident r) => r.ValidateCommon();
}

public sealed class UpdateIncidentHandler(IItsmDbContext db, ICurrentUser user, IClock clock, TicketFieldEditor editor, IncidentDetailsBuilder details)
    : IRequestHandler<UpdateIncident, IncidentDetails>
{
    public async Task<IncidentDetails> Handle(UpdateIncident r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var incident = await db.Incidents.LoadVisibleAsync(TicketKind.Incident, r.Number, actor, ct);
        await editor.ApplyAsync(incident, r, actor, now, ct);
        if (r.ParentIncidentNumber.IsSet)
            await LinkAsync(incident, r.ParentIncidentNumber.Value, actor, now, ct);
        if (r.CausedByChangeNumber.IsSet)
            await AttributeAsync(incident, r.CausedByChangeNumber.Value, actor, now, ct);
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(incident, ct);
    }

    private async Task LinkAsync(Incident incident, string? parentNumber, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        Incident? parent = null;
        if (!string.IsNullOrWhiteSpace(parentNumber))
        {
            var key = parentNumber.Trim().ToUpperInvariant();
            parent = await db.Incidents.FirstOrDefaultAsync(i => i.Number == key, ct)
                     ?? throw new FieldValidationException("parentIncidentNumber", $"There is no incident {key}.");
            if (await db.Incidents.AnyAsync(i => i.ParentIncidentId == incident.Id, ct))
                throw new BusinessRuleException("parent-nested", $"{incident.Number} has child incidents of its own; it cannot become a child.");
        }
        incident.LinkToParent(parent, actor, now);
    }

    private async Task AttributeAsync(Incident incident, string? changeNumber, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        Change? change = null;
        if (!string.IsNullOrWhiteSpace(changeNumber))
        {
            var key = changeNumber.Trim().ToUpperInvariant();
            // Only changes the caller may see can be named; any other is "not there" rather than a hint that it exists.
            change = await db.Changes.VisibleTo(TicketKind.Change, actor).FirstOrDefaultAsync(c => c.Number == key, ct)
                     ?? throw new FieldValidationException("causedByChangeNumber", $"There is no change {key}.");
        }
        incident.AttributeToChange(change, actor, now);
    }
}
