using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// The fields every kind of ticket has, as a partial update: only the fields that are set change. A module's update
/// (<c>UpdateIncident</c>, <c>UpdateProblem</c>) derives from it and adds its own.
/// </summary>
public abstract record UpdateTicket
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

    /// <summary>The checks of the common fields, for each module's validator.</summary>
    public IEnumerable<(string, string)> ValidateCommon()
    {
        if (Impact.IsSet && !Enum.IsDefined(typeof(Impact), Impact.Value)) yield return ("impact", "Impact must be 1, 2 or 3.");
        if (Urgency.IsSet && !Enum.IsDefined(typeof(Urgency), Urgency.Value)) yield return ("urgency", "Urgency must be 1, 2 or 3.");
        if (PriorityOverride is { IsSet: true, Value: { } p } && p is < 1 or > 4) yield return ("priorityOverride", "Priority must be 1, 2, 3 or 4.");
        if (PriorityOverride is { IsSet: true, Value: not null } && string.IsNullOrWhiteSpace(PriorityOverrideReason.Value))
            yield return ("priorityOverrideReason", "Overriding the priority needs a reason.");
    }
}

/// <summary>Applies an <see cref="UpdateTicket"/>'s common fields to a ticket through its aggregate methods.</summary>
public sealed class TicketFieldEditor(IProcessCatalog processes, IUserDirectory users, IReferenceData referenceData)
{
    public async Task ApplyAsync(Ticket ticket, UpdateTicket r, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        ticket.EnsureVersion(r.ExpectedVersion);
        var matrix = processes.For(ticket.Kind).PriorityMatrix;
        if (r.ShortDescription.IsSet || r.Description.IsSet)
            ticket.Describe(r.ShortDescription.IsSet ? r.ShortDescription.Value : ticket.ShortDescription,
                r.Description.IsSet ? r.Description.Value : ticket.Description, actor, now);
        if (r.Category.IsSet)
        {
            var code = string.IsNullOrWhiteSpace(r.Category.Value) ? null : r.Category.Value;
            if (code is not null && await referenceData.FindCategoryAsync(code, ct) is null)
                throw new FieldValidationException("category", $"'{code}' is not a category.");
            ticket.Categorise(code, actor, now);
        }
        if (r.Impact.IsSet || r.Urgency.IsSet)
            ticket.Reprioritise(r.Impact.IsSet ? (Impact)r.Impact.Value : ticket.Impact,
                r.Urgency.IsSet ? (Urgency)r.Urgency.Value : ticket.Urgency, matrix, actor, now);
        if (r.PriorityOverride.IsSet)
        {
            if (r.PriorityOverride.Value is { } p) ticket.OverridePriority((Priority)p, r.PriorityOverrideReason.Value ?? "", actor, now);
            else ticket.ClearPriorityOverride(matrix, actor, now);
        }
        if (r.AssignmentGroupId.IsSet || r.AssigneeId.IsSet)
            await AssignAsync(ticket, r.AssignmentGroupId.IsSet ? r.AssignmentGroupId.Value : ticket.AssignmentGroupId,
                r.AssigneeId.IsSet ? r.AssigneeId.Value : ticket.AssigneeId, actor, now, ct);
    }

    public async Task AssignAsync(Ticket ticket, Guid? groupId, string? assigneeId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var (group, assignee) = await ResolveAssignmentAsync(groupId, assigneeId, ct);
        ticket.Assign(group, assignee?.Id, assignee?.DisplayName, actor, now);
    }

    /// <summary>The group and person named by an assignment, checked to exist (field errors otherwise).</summary>
    public async Task<(AssignmentGroup? Group, UserInfo? Assignee)> ResolveAssignmentAsync(Guid? groupId, string? assigneeId, CancellationToken ct)
    {
        AssignmentGroup? group = null;
        if (groupId is { } gid)
            group = await referenceData.FindGroupAsync(gid, ct)
                    ?? throw new FieldValidationException("assignmentGroupId", "There is no such assignment group.");
        var assignee = string.IsNullOrWhiteSpace(assigneeId) ? null
            : await users.FindAsync(assigneeId, ct) ?? throw new FieldValidationException("assigneeId", $"There is no user '{assigneeId}'.");
        return (group, assignee);
    }
}
