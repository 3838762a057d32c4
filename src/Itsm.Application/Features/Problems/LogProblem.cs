using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Problems;

/// <summary>
/// Raises a problem. From an incident (<see cref="IncidentNumber"/>), the incident is linked to it and, where the
/// request leaves them out, its description, impact, urgency and category are taken over.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.Engineer, Roles.ProblemManager, Roles.Admin)]
public sealed record LogProblem : IRequest<ProblemDetails>
{
    public string? ShortDescription { get; init; }
    public string? Description { get; init; }
    public int? Impact { get; init; }
    public int? Urgency { get; init; }
    public string? Category { get; init; }
    public Guid? AssignmentGroupId { get; init; }
    public string? AssigneeId { get; init; }
    /// <summary>The incident the problem is raised from: linked to it.</summary>
    public string? IncidentNumber { get; init; }
    public string? IdempotencyKey { get; init; }
}

public sealed class LogProblemValidator : IRequestValidator<LogProblem>
{
    public IEnumerable<(string, string)> Validate(LogProblem r)
    {
        if (r.Impact is { } i && !Enum.IsDefined(typeof(Impact), i)) yield return ("impact", "Impact must be 1 (high), 2 (medium) or 3 (low).");
        if (r.Urgency is { } u && !Enum.IsDefined(typeof(Urgency), u)) yield return ("urgency", "Urgency must be 1 (high), 2 (medium) or 3 (low).");
        foreach (var error in IdempotencyRecord.CheckKey(r.IdempotencyKey)) yield return error;
        if (string.IsNullOrWhiteSpace(r.ShortDescription) && string.IsNullOrWhiteSpace(r.IncidentNumber))
            yield return ("shortDescription", "A short description is required.");
    }
}

public sealed class LogProblemHandler(
    IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, ITicketNumberGenerator numbers,
    TicketFieldEditor editor, IReferenceData referenceData, ProblemDetailsBuilder details, CreateTicketOnce once)
    : IRequestHandler<LogProblem, ProblemDetails>
{
    public async Task<ProblemDetails> Handle(LogProblem r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var category = string.IsNullOrWhiteSpace(r.Category) ? null
            : await referenceData.FindCategoryAsync(r.Category, ct) ?? throw new FieldValidationException("category", $"'{r.Category}' is not a category.");
        var (group, assignee) = await editor.ResolveAssignmentAsync(r.AssignmentGroupId, r.AssigneeId, ct);
        var process = processes.For(TicketKind.Problem);

        var created = await once.RunAsync(TicketKind.Problem, r.IdempotencyKey, r, actor, async ct =>
        {
            Incident? incident = null;
            if (!string.IsNullOrWhiteSpace(r.IncidentNumber))
                incident = await LoadIncidentAsync(r.IncidentNumber, actor, ct);
            var number = await numbers.NextAsync(TicketKind.Problem, ct);
            var problem = Problem.Log(number,
                string.IsNullOrWhiteSpace(r.ShortDescription) ? incident!.ShortDescription : r.ShortDescription,
                r.Description ?? incident?.Description,
                r.Impact is { } i ? (Impact)i : incident?.Impact ?? Impact.Low,
                r.Urgency is { } u ? (Urgency)u : incident?.Urgency ?? Urgency.Low,
                category?.Code ?? incident?.CategoryCode, actor, process, now);
            if (group is not null || assignee is not null) problem.Assign(group, assignee?.Id, assignee?.DisplayName, actor, now);
            incident?.LinkToProblem(problem, actor, now);
            return problem;
        }, ct);
        return created.Ticket is Problem fresh ? await details.BuildAsync(fresh, ct) : await details.BuildAsync(created.Number, ct);
    }

    private async Task<Incident> LoadIncidentAsync(string number, Actor actor, CancellationToken ct)
    {
        try
        {
            return await db.Incidents.LoadVisibleAsync(TicketKind.Incident, number, actor, ct);
        }
        catch (NotFoundException)
        {
            throw new FieldValidationException("incidentNumber", $"There is no incident {number.Trim().ToUpperInvariant()}.");
        }
    }
}
