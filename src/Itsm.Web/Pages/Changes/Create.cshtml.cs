using System.ComponentModel.DataAnnotations;
using Itsm.Application.Common;
using Itsm.Application.Features.Changes;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Changes;

/// <summary>
/// Raises a change: its type (a standard one from a template of the catalog, whose texts fill what is left blank), the
/// plan, the planned window in UTC, the implementer, the affected CIs by id or exact name, and the risk questionnaire.
/// ?template=code starts the form from a template.
/// </summary>
[Authorize(Roles = PageRoles.ChangeWorkers)]
public sealed class CreateModel(IMediator mediator, ICurrentUser user, StandardChangeCatalog catalog, RiskModel risk)
    : TicketCreatePageModel<CreateModel.CreateInput, ChangeDetails>(mediator), IChangePlanForm
{
    private IReadOnlyList<long> _ciIds = [];

    /// <summary>The template to start from, on the first GET.</summary>
    [BindProperty(SupportsGet = true, Name = "template")]
    public string? FromTemplate { get; set; }

    public override string DetailsPage => "/Changes/Details";
    protected override IReadOnlyDictionary<string, string> Fields => FieldsWith(ChangePages.PlanFields(risk));
    public StandardChangeCatalog Catalog => catalog;
    public RiskModel RiskModel => risk;
    IChangePlanInput IChangePlanForm.Input => Input;
    public string ImplementerHelp => "The user name of the engineer or change manager who implements it; you, unless you name someone else.";
    public string? PlanHelp => "For a standard change, what you leave blank comes from its template (the end, too: the start plus the template's duration).";

    protected override Task PrefillAsync()
    {
        // The sign-in name, which the implementer field takes (the actor's name is the display name).
        Input.Implementer = User.Identity?.Name ?? user.Actor.UserId;
        if (catalog.Find(FromTemplate) is not { } t) return Task.CompletedTask;
        Input.Type = Change.TypeId(ChangeType.Standard);
        Input.Template = t.Code;
        Input.ShortDescription = t.Name;
        Input.Description = t.Description;
        Input.ImplementationPlan = t.ImplementationPlan;
        Input.BackoutPlan = t.BackoutPlan;
        Input.TestPlan = t.TestPlan;
        return Task.CompletedTask;
    }

    protected override async Task BeforeCreateAsync() => _ciIds = await ChangePages.ResolveCisAsync(Mediator, Input.Cis);

    protected override IRequest<ChangeDetails> LogRequest(string? idempotencyKey) => new RaiseChange
    {
        IdempotencyKey = idempotencyKey,
        Type = ChangePages.Text(Input.Type),
        // A template is a standard change's only: the select may still hold one after switching the type.
        Template = Input.Type == Change.TypeId(ChangeType.Standard) ? ChangePages.Text(Input.Template) : null,
        ShortDescription = ChangePages.Text(Input.ShortDescription),
        Description = ChangePages.Text(Input.Description),
        Category = ChangePages.Text(Input.Category),
        Impact = Input.Impact,
        Urgency = Input.Urgency,
        Justification = ChangePages.Text(Input.Justification),
        ImplementationPlan = ChangePages.Text(Input.ImplementationPlan),
        BackoutPlan = ChangePages.Text(Input.BackoutPlan),
        TestPlan = ChangePages.Text(Input.TestPlan),
        PlannedStart = ChangePages.Utc(Input.PlannedStart),
        PlannedEnd = ChangePages.Utc(Input.PlannedEnd),
        Implementer = ChangePages.Text(Input.Implementer),
        CiIds = _ciIds,
        RiskAnswers = ChangePages.Answers(Input.RiskAnswers),
    };

    protected override string Logged(ChangeDetails created) =>
        created.Missing.Count == 0
            ? $"{created.Number} was raised ({ChangePages.TypeLabel(created.Type).ToLowerInvariant()} change, risk {created.RiskLabel ?? "not assessed"})."
            : $"{created.Number} was raised. Before it can be submitted it needs {string.Join(", ", created.Missing)}.";

    public sealed class CreateInput : TicketCreateInput, IChangePlanInput
    {
        [Display(Name = "Type")] public string? Type { get; set; } = Change.TypeId(ChangeType.Normal);
        [Display(Name = "Standard-change template")] public string? Template { get; set; }
        [Display(Name = "Justification")] public string? Justification { get; set; }
        [Display(Name = "Implementation plan")] public string? ImplementationPlan { get; set; }
        [Display(Name = "Backout plan")] public string? BackoutPlan { get; set; }
        [Display(Name = "Test plan")] public string? TestPlan { get; set; }
        [Display(Name = "Planned start")] public DateTime? PlannedStart { get; set; }
        [Display(Name = "Planned end")] public DateTime? PlannedEnd { get; set; }
        [Display(Name = "Implementer")] public string? Implementer { get; set; }
        /// <summary>Affected CIs: ids or exact names, comma separated.</summary>
        [Display(Name = "Affected CIs")] public string? Cis { get; set; }
        public Dictionary<string, string?> RiskAnswers { get; set; } = [];
    }
}
