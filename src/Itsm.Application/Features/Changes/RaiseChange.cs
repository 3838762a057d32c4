using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// Raises a change on one or more CIs with its plan. A standard change comes from a template of the catalog, whose texts
/// fill what the request leaves out (and whose duration sets the end from the start). The risk and conflicts are
/// assessed in the same transaction.
/// </summary>
[AuthorizeRoles(Roles.Engineer, Roles.ChangeManager, Roles.Admin)]
public sealed record RaiseChange : IRequest<ChangeDetails>
{
    public string? Type { get; init; }
    public string? Template { get; init; }
    public string? ShortDescription { get; init; }
    public string? Description { get; init; }
    public int? Impact { get; init; }
    public int? Urgency { get; init; }
    public string? Category { get; init; }
    public string? Justification { get; init; }
    public string? ImplementationPlan { get; init; }
    public string? BackoutPlan { get; init; }
    public string? TestPlan { get; init; }
    public DateTimeOffset? PlannedStart { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    /// <summary>The implementer's user id or user name; the person raising it when left out.</summary>
    public string? Implementer { get; init; }
    /// <summary>The affected CIs.</summary>
    public IReadOnlyList<long> CiIds { get; init; } = [];
    public IReadOnlyDictionary<string, string> RiskAnswers { get; init; } = new Dictionary<string, string>();
    public string? IdempotencyKey { get; init; }
}

public sealed class RaiseChangeValidator : IRequestValidator<RaiseChange>
{
    public IEnumerable<(string, string)> Validate(RaiseChange r)
    {
        if (Change.ParseType(r.Type) is null) yield return ("type", "The type must be standard, normal or emergency.");
        if (r.Impact is { } i && !Enum.IsDefined(typeof(Impact), i)) yield return ("impact", "Impact must be 1 (high), 2 (medium) or 3 (low).");
        if (r.Urgency is { } u && !Enum.IsDefined(typeof(Urgency), u)) yield return ("urgency", "Urgency must be 1 (high), 2 (medium) or 3 (low).");
        if (r.CiIds.Count > ImpactedServices.MaxAffectedCis) yield return ("ciIds", $"A change has at most {ImpactedServices.MaxAffectedCis} affected CIs.");
        if (r.CiIds.Distinct().Count() != r.CiIds.Count) yield return ("ciIds", "A CI is named twice.");
        foreach (var error in IdempotencyRecord.CheckKey(r.IdempotencyKey)) yield return error;
    }
}

public sealed class RaiseChangeHandler(
    ICurrentUser user, IClock clock, IProcessCatalog processes, ITicketNumberGenerator numbers,
    IReferenceData referenceData, StandardChangeCatalog catalog, ChangeEditor editor, ChangeDetailsBuilder details, CreateTicketOnce once)
    : IRequestHandler<RaiseChange, ChangeDetails>
{
    public async Task<ChangeDetails> Handle(RaiseChange r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var type = Change.ParseType(r.Type)!.Value;
        var template = type == ChangeType.Standard ? FindTemplate(r.Template) : null;
        if (type != ChangeType.Standard && !string.IsNullOrWhiteSpace(r.Template))
            throw new FieldValidationException("template", "Only a standard change comes from a template.");
        var category = string.IsNullOrWhiteSpace(r.Category) ? null
            : await referenceData.FindCategoryAsync(r.Category, ct) ?? throw new FieldValidationException("category", $"'{r.Category}' is not a category.");
        var implementer = await editor.ResolveImplementerAsync(r.Implementer ?? actor.UserId, ct);
        var end = r.PlannedEnd ?? (template is not null && r.PlannedStart is { } start ? start + template.Duration : null);
        var plan = new ChangePlan
        {
            Justification = r.Justification ?? (template is null ? null : $"Standard change: {template.Name}."),
            ImplementationPlan = r.ImplementationPlan ?? template?.ImplementationPlan,
            BackoutPlan = r.BackoutPlan ?? template?.BackoutPlan,
            TestPlan = r.TestPlan ?? template?.TestPlan,
            PlannedStart = r.PlannedStart,
            PlannedEnd = end,
            ImplementerId = implementer.Id,
            ImplementerName = implementer.DisplayName,
        };
        var shortDescription = string.IsNullOrWhiteSpace(r.ShortDescription) ? template?.Name ?? "" : r.ShortDescription;
        editor.CheckRiskAnswers(r.RiskAnswers);
        var cis = await editor.FindCisAsync(r.CiIds, template, actor, ct);
        var process = processes.For(TicketKind.Change);

        var created = await once.RunAsync(TicketKind.Change, r.IdempotencyKey, r, actor, async ct =>
        {
            var number = await numbers.NextAsync(TicketKind.Change, ct);
            var change = Change.Raise(number, type, template?.Code, shortDescription, r.Description ?? template?.Description,
                r.Impact is { } i ? (Impact)i : Impact.Medium, r.Urgency is { } u ? (Urgency)u : Urgency.Medium,
                category?.Code, plan, actor, process, now);
            if (r.RiskAnswers.Count > 0) change.AnswerRiskQuestionnaire(r.RiskAnswers, actor, now);
            await editor.AddAffectedCisAsync(change, cis, actor, now, ct);
            await editor.AssessAsync(change, now, ct);
            return change;
        }, ct);
        return created.Ticket is Change fresh ? await details.BuildAsync(fresh, ct) : await details.BuildAsync(created.Number, ct);
    }

    private StandardChangeTemplate FindTemplate(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
            throw new FieldValidationException("template", "A standard change comes from a template of the standard-change catalog: name its code.");
        return catalog.Find(code) ?? throw new FieldValidationException("template",
            $"'{code.Trim()}' is not in the standard-change catalog. Known: {string.Join(", ", catalog.Templates.Select(t => t.Code))}.");
    }
}
