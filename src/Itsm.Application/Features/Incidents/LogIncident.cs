using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Reports an incident: an employee for themselves, the service desk also on behalf of a caller.</summary>
/// <remarks>
/// Not an <see cref="ICommand"/>: the handler reads and checks the reference data first and opens the
/// transaction only for the writes, so that on SQLite the single writer's turn is as short as possible.
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
    /// <summary>A hash of the request body, so a reused key with another body is refused.</summary>
    public string? RequestHash { get; init; }
}

public sealed class LogIncidentValidator : IRequestValidator<LogIncident>
{
    public IEnumerable<(string, string)> Validate(LogIncident r)
    {
        if (!Enum.IsDefined(typeof(Impact), r.Impact)) yield return ("impact", "Impact must be 1 (high), 2 (medium) or 3 (low).");
        if (!Enum.IsDefined(typeof(Urgency), r.Urgency)) yield return ("urgency", "Urgency must be 1 (high), 2 (medium) or 3 (low).");
        if (r.IdempotencyKey is { Length: > 200 }) yield return ("Idempotency-Key", "At most 200 characters.");
    }
}

public sealed class LogIncidentHandler(
    IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes,
    ITicketNumberGenerator numbers, IUserDirectory users, IReferenceData referenceData, IncidentDetailsBuilder details, IUnitOfWork unitOfWork)
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
        AssignmentGroup? group = null;
        if (groupId is { } gid)
            group = await referenceData.FindGroupAsync(gid, ct)
                    ?? throw new FieldValidationException("assignmentGroupId", "There is no such assignment group.");
        UserInfo? assignee = null;
        if (!string.IsNullOrWhiteSpace(request.AssigneeId))
            assignee = await users.FindAsync(request.AssigneeId, ct)
                       ?? throw new FieldValidationException("assigneeId", $"There is no user '{request.AssigneeId}'.");

        var process = processes.For(TicketKind.Incident);
        try
        {
            return await unitOfWork.RunAsync(async ct =>
            {
                if (request.IdempotencyKey is { } key && await FindKeyAsync(key, actor.UserId, ct) is { } seen)
                    return await ReplayAsync(seen, request, ct);

                var number = await numbers.NextAsync(TicketKind.Incident, ct);
                var incident = Incident.Log(number, request.ShortDescription, request.Description,
                    (Impact)request.Impact, (Urgency)request.Urgency, category?.Code, callerId, callerName, process, actor, now);
                if (group is not null || assignee is not null) incident.Assign(group, assignee?.Id, assignee?.DisplayName, actor, now);

                db.Incidents.Add(incident);
                if (request.IdempotencyKey is { } newKey)
                    db.IdempotencyRecords.Add(new IdempotencyRecord(newKey, actor.UserId, request.RequestHash ?? "", incident.Number, now));
                await db.SaveChangesAsync(ct);
                return await details.BuildAsync(incident, ct, isNew: true);
            }, ct);
        }
        catch (DbUpdateException) when (request.IdempotencyKey is not null)
        {
            // A concurrent request with the same key (PostgreSQL; SQLite's single writer sees the first one's record)
            // committed first: the unique key refused ours and our transaction, its number included, was rolled back.
            var seen = await FindKeyAsync(request.IdempotencyKey, actor.UserId, ct);
            if (seen is null) throw;
            return await ReplayAsync(seen, request, ct);
        }
    }

    /// <summary>The answer to a retried request: the incident its key created, if the body is the same.</summary>
    private async Task<IncidentDetails> ReplayAsync(IdempotencyRecord seen, LogIncident request, CancellationToken ct)
    {
        if (seen.RequestHash != (request.RequestHash ?? ""))
            throw new BusinessRuleException("idempotency-key-reused", "This Idempotency-Key was already used with a different request body.");
        return await details.BuildAsync(await db.Incidents.AsNoTracking().FirstAsync(i => i.Number == seen.TicketNumber, ct), ct);
    }

    private Task<IdempotencyRecord?> FindKeyAsync(string key, string userId, CancellationToken ct) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key && r.UserId == userId, ct);
}
