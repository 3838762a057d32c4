using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using MediatR;
using Itsm.Application.Features.Tickets;

namespace Itsm.Application.Features.Incidents;

/// <summary>Reports an incident: an employee for themselves, the service desk also on behalf of a caller.</summary>
/// <remarks>
/// Not an <see cref="ICommand"/>: the handler reads and checks the reference data first and opens the
/// transaction only for the writes (<see cref="CreateTicketOnce"/>), so that on SQLite the single writer's turn is as short as possible.
/// </remarks>
[AuthorizeRoles]
public sealed record LogIncident : IRequest<IncidentDetails>
{
    public string ShortDescription { get; init; } = "";
    public string? Description { get; init; }
    public int Impact { get; init; } = 3;
    public int Urgency { get; init; } = 3;
    public string? Category { get; init; }
    public Guid? AssignmentGroupId { get; init; }
    public string? AssigneeId { get; init; }
    /// <summary>The caller's user name or id when the service desk logs for someone else.</summary>
    public string? Caller { get; init; }
    public string? IdempotencyKey { get; init; }
}

public sealed class LogIncidentValidator : IRequestValidator<LogIncident>
{
    public IEnumerable<(string, string)> Validate(LogIncident r)
    {
        if (!Enum.IsDefined(typeof(Impact), r.Impact)) yield return ("impact", "Impact must be 1 (high), 2 (medium) or 3 (low).");
        if (!Enum.IsDefined(typeof(Urgency), r.Urgency)) yield return ("urgency", "Urgency must be 1 (high), 2 (medium) or 3 (low).");
        foreach (var error in IdempotencyRecord.CheckKey(r.IdempotencyKey)) yield return error;
    }
}

public sealed class LogIncidentHandler(
    ICurrentUser user, IClock clock, IProcessCatalog processes,
    ITicketNumberGenerator numbers, IUserDirectory users, TicketFieldEditor editor, IReferenceData referenceData, IncidentDetailsBuilder details, CreateTicketOnce once)
    : IRequestHandler<LogIncident, IncidentDetails>
{
    public async Task<IncidentDetails> Handle(LogIncident request, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var (callerId, callerName) = (actor.UserId, actor.UserName);
        if (!string.IsNullOrWhiteSpace(request.Caller) && request.Caller != actor.UserName && request.Caller != actor.UserId)
        {
            if (!actor.IsFulfiller) throw new ForbiddenException("Only the service desk logs incidents for someone else.");
            var caller = await users.FindAsync(request.Caller, ct)
                         ?? throw new FieldValidationException("caller", $"There is no user '{request.Caller}'.");
            (callerId, callerName) = (caller.Id, caller.DisplayName);
        }

        Category? category = null;
        if (!string.IsNullOrWhiteSpace(request.Category))
            category = await referenceData.FindCategoryAsync(request.Category, ct)
                       ?? throw new FieldValidationException("category", $"'{request.Category}' is not a category.");

        var groupId = request.AssignmentGroupId ?? category?.DefaultGroupId;
        if (!actor.IsFulfiller && (request.AssignmentGroupId is not null || request.AssigneeId is not null))
            throw new ForbiddenException("Only the service desk assigns incidents.");
        var (group, assignee) = await editor.ResolveAssignmentAsync(groupId, request.AssigneeId, ct);

        var process = processes.For(TicketKind.Incident);
        var created = await once.RunAsync(TicketKind.Incident, request.IdempotencyKey, request, actor, async ct =>
        {
            var number = await numbers.NextAsync(TicketKind.Incident, ct);
            var incident = Incident.Log(number, request.ShortDescription, request.Description,
                (Impact)request.Impact, (Urgency)request.Urgency, category?.Code, callerId, callerName, process, actor, now);
            if (group is not null || assignee is not null) incident.Assign(group, assignee?.Id, assignee?.DisplayName, actor, now);
            return incident;
        }, ct);
        return created.Ticket is Incident fresh ? await details.BuildAsync(fresh, ct, isNew: true) : await details.BuildAsync(created.Number, ct);
    }
}
