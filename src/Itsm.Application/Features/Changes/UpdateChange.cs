using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// Changes a change's common fields, its plan, its type or its questionnaire answers; only the fields that are set change.
/// Editing the plan of a normal change that is being authorised sends it back to New (its approvals are canceled).
/// </summary>
[AuthorizeRoles(Roles.Engineer, Roles.ChangeManager, Roles.Admin)]
public sealed record UpdateChange : UpdateTicket, IRequest<ChangeDetails>, ICommand
{
    public Optional<string?> Type { get; init; }
    public Optional<string?> Template { get; init; }
    public Optional<string?> Justification { get; init; }
    public Optional<string?> ImplementationPlan { get; init; }
    public Optional<string?> BackoutPlan { get; init; }
    public Optional<string?> TestPlan { get; init; }
    public Optional<DateTimeOffset?> PlannedStart { get; init; }
    public Optional<DateTimeOffset?> PlannedEnd { get; init; }
    public Optional<string?> Implementer { get; init; }
    public Optional<IReadOnlyDictionary<string, string>> RiskAnswers { get; init; }
}

public sealed class UpdateChangeValidator : IRequestValidator<UpdateChange>
{
    public IEnumerable<(string, string)> Validate(UpdateChange r)
    {
        foreach (var e in r.ValidateCommon()) yield return e;
        if (r.Type.IsSet && Change.ParseType(r.Type.Value) is null) yield return ("type", "The type must be standard, normal or emergency.");
    }
}

public sealed class UpdateChangeHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, TicketFieldEditor fields,
    ChangeEditor editor, ChangeApprovalService approvals, StandardChangeCatalog catalog, ChangeDetailsBuilder details)
    : IRequestHandler<UpdateChange, ChangeDetails>
{
    public async Task<ChangeDetails> Handle(UpdateChange r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var change = await db.Changes.LoadVisibleAsync(TicketKind.Change, r.Number, actor, ct);
        TicketAccess.EnsureMayWork(TicketKind.Change, actor);
        await fields.ApplyAsync(change, r, actor, now, ct);
        if (r.Type.IsSet || r.Template.IsSet)
        {
            var type = r.Type.IsSet ? Change.ParseType(r.Type.Value)!.Value : change.Type;
            var code = r.Template.IsSet ? r.Template.Value : type == ChangeType.Standard ? change.TemplateCode : null;
            string? templateCode = null;
            if (type == ChangeType.Standard)
            {
                var template = catalog.Find(code) ?? throw new FieldValidationException("template",
                    string.IsNullOrWhiteSpace(code) ? "A standard change comes from a template of the standard-change catalog: name its code."
                        : $"'{code.Trim()}' is not in the standard-change catalog.");
                templateCode = template.Code;
                foreach (var ci in await editor.AffectedCisAsync(change, ct)) editor.CheckTemplateClass(template, ci.ClassCode, ci.Name, "template");
            }
            else if (!string.IsNullOrWhiteSpace(code) && r.Template.IsSet)
                throw new FieldValidationException("template", "Only a standard change comes from a template.");
            change.Retype(type, templateCode, await approvals.AnyGivenAsync(change, ct), actor, now);
        }
        var plan = change.Plan;
        var implementer = r.Implementer is { IsSet: true, Value: { } who } && !string.IsNullOrWhiteSpace(who)
            ? await editor.ResolveImplementerAsync(who, ct) : null;
        if (r.Implementer is { IsSet: true } && implementer is null)
            throw new FieldValidationException("implementer", "A change needs an implementer.");
        var replanned = change.Replan(plan with
        {
            Justification = r.Justification.IsSet ? r.Justification.Value : plan.Justification,
            ImplementationPlan = r.ImplementationPlan.IsSet ? r.ImplementationPlan.Value : plan.ImplementationPlan,
            BackoutPlan = r.BackoutPlan.IsSet ? r.BackoutPlan.Value : plan.BackoutPlan,
            TestPlan = r.TestPlan.IsSet ? r.TestPlan.Value : plan.TestPlan,
            PlannedStart = r.PlannedStart.IsSet ? r.PlannedStart.Value : plan.PlannedStart,
            PlannedEnd = r.PlannedEnd.IsSet ? r.PlannedEnd.Value : plan.PlannedEnd,
            ImplementerId = implementer?.Id ?? plan.ImplementerId,
            ImplementerName = implementer?.DisplayName ?? plan.ImplementerName,
        }, actor, now);
        if (r.RiskAnswers.IsSet)
        {
            editor.CheckRiskAnswers(r.RiskAnswers.Value);
            change.AnswerRiskQuestionnaire(r.RiskAnswers.Value, actor, now);
        }
        if (replanned) await approvals.SendBackAsync(change, processes.For(TicketKind.Change), "the plan was edited while it was being authorised", actor, now, ct);
        await editor.AssessAsync(change, now, ct);
        await db.SaveChangesAsync(ct);
        return await details.BuildAsync(change, ct);
    }
}
