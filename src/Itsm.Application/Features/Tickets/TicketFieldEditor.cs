using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

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
