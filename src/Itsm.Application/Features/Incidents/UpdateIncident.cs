using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Changes an incident's fields. Only the fields that are set change; the expected version guards against lost updates.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record UpdateIncident : IRequest<IncidentDetails>, ICommand
{
    public string Number { get; init; } = "";
    public int? ExpectedVersion { get; init; }
    public Optional<string> ShortDescription { get; init; }
    public Optional<string?> Description { get; init; }
    public Optional<int> Impact { get; init; }
    public Optional<int> Urgency { get; init; }
    public Optional<string?> Category { get; init; }
    public Optional<Guid?> AssignmentGroupId { get; init; }
    public Optional<string?> AssigneeId { get; init; }
    /// <summary>1–4 to override the matrix (needs a reason), null to return to the matrix.</summary>
    public Optional<int?> PriorityOverride { get; init; }
    public Optional<string?> PriorityOverrideReason { get; init; }
    /// <summary>The major incident this one belongs to, or null to unlink.</summary>
    public Optional<string?> ParentIncidentNumber { get; init; }
}

public sealed class UpdateIncidentValidator : IRequestValidator<UpdateIncident>
{
    public IEnumerable<(string, string)> Validate(UpdateIncident r)
    {
        if (r.Impact.IsSet && !Enum.IsDefined(typeof(Impact), r.Impact.Value)) yield return ("impact", "Impact must be 1, 2 or 3.");
        if (r.Urgency.IsSet && !Enum.IsDefined(typeof(Urgency), r.Urgency.Value)) yield return ("urgency", "Urgency must be 1, 2 or 3.");
        if (r.PriorityOverride is { IsSet: true, Value: { } p } && p is < 1 or > 4) yield return ("priorityOverride", "Priority must be 1, 2, 3 or 4.");
        if (r.PriorityOverride is { IsSet: true, Value: not null } && string.IsNullOrWhiteSpace(r.PriorityOverrideReason.Value))
            yield return ("priorityOverrideReason", "Overriding the priority needs a reason.");
    }
}

public sealed class UpdateIncidentHandler(
    IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, IUserDirectory users, IReferenceData referenceData, IncidentDetailsBuilder details)
    : IRequestHandler<UpdateIncident, IncidentDetails>
{
    public async Task<IncidentDetails> Handle(UpdateIncident r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var matrix = processes.For(TicketKind.Incident).PriorityMatrix;
        var incident = await db.LoadVisibleAsync(r.Number, actor, ct);
        incident.EnsureVersion(r.ExpectedVersion);

        if (r.ShortDescription.IsSet || r.Description.IsSet)
            incident.Describe(r.ShortDescription.IsSet ? r.ShortDescription.Value : incident.ShortDescription,
                r.Description.IsSet ? r.Description.Value : incident.Description, actor, now);
        if (r.Category.IsSet)
        {
            var code = string.IsNullOrWhiteSpace(r.Category.Value) ? null : r.Category.Value;
            if (code is not null && await referenceData.FindCategoryAsync(code, ct) is null)
                throw new FieldValidationException("category", $"'{code}' is not a category.");
            incident.Categorise(code, actor, now);
        }
        if (r.Impact.IsSet || r.Urgency.IsSet)
            incident.Reprioritise(r.Impact.IsSet ? (Impact)r.Impact.Value : incident.Impact,
                r.Urgency.IsSet ? (Urgency)r.Urgency.Value : incident.Urgency, matrix, actor, now);
        if (r.PriorityOverride.IsSet)
        {
            if (r.PriorityOverride.Value is { } p) incident.OverridePriority((Priority)p, r.PriorityOverrideReason.Value ?? "", actor, now);
            else incident.ClearPriorityOverride(matrix, actor, now);
        }
        if (r.AssignmentGroupId.IsSet || r.AssigneeId.IsSet)
            await AssignAsync(incident, r.AssignmentGroupId.IsSet ? r.AssignmentGroupId.Value : incident.AssignmentGroupId,
                r.AssigneeId.IsSet ? r.AssigneeId.Value : incident.AssigneeId, actor, now, ct);
        if (r.ParentIncidentNumber.IsSet)
            await LinkAsync(incident, r.ParentIncidentNumber.Value, actor, now, ct);

        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(incident, ct);
    }

    private async Task AssignAsync(Incident incident, Guid? groupId, string? assigneeId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        AssignmentGroup? group = null;
        if (groupId is { } gid)
            group = await referenceData.FindGroupAsync(gid, ct)
                    ?? throw new FieldValidationException("assignmentGroupId", "There is no such assignment group.");
        var assignee = string.IsNullOrWhiteSpace(assigneeId) ? null
            : await users.FindAsync(assigneeId, ct) ?? throw new FieldValidationException("assigneeId", $"There is no user '{assigneeId}'.");
        incident.Assign(group, assignee?.Id, assignee?.DisplayName, actor, now);
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
}
