using System.ComponentModel.DataAnnotations;
using Itsm.Application.Common;
using Itsm.Application.Features.Changes;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes.Risk;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;

namespace Itsm.Web.Pages.Changes;

/// <summary>
/// Edits a change's common fields, its plan and its questionnaire answers. Only the plan fields that differ from the
/// change as it is are sent: saving an untouched form must not count as replanning a change that is frozen for
/// approval (which sends it back to New); the page warns about that before saving.
/// </summary>
[Authorize(Roles = PageRoles.ChangeWorkers)]
public sealed class EditModel(IMediator mediator, RiskModel risk) : TicketEditPageModel<EditModel.EditInput, ChangeDetails>(mediator), IChangePlanForm
{
    /// <summary>The change as it was when the post was read (what the plan fields are compared with).</summary>
    private ChangeDetails? _current;

    public override string DetailsPage => "/Changes/Details";
    protected override IReadOnlyDictionary<string, string> Fields => FieldsWith(ChangePages.PlanFields(risk));
    public RiskModel RiskModel => risk;
    IChangePlanInput IChangePlanForm.Input => Input;
    public string ImplementerHelp => $"Now {Details.ImplementerName ?? "nobody"}. Leave empty to keep; type a user name to hand it to another engineer or change manager.";
    public string? PlanHelp => null;

    protected override async Task<ChangeDetails> GetAsync(string number) => _current = await Mediator.Send(new GetChange(number));
    protected override UpdateTicket NewUpdate() => new UpdateChange();
    protected override async Task<ChangeDetails> SendAsync(UpdateTicket update) => await Mediator.Send((UpdateChange)update);

    protected override EditInput From(ChangeDetails t)
    {
        var input = base.From(t);
        input.Justification = t.Justification;
        input.ImplementationPlan = t.ImplementationPlan;
        input.BackoutPlan = t.BackoutPlan;
        input.TestPlan = t.TestPlan;
        input.PlannedStart = ChangePages.Local(t.PlannedStart);
        input.PlannedEnd = ChangePages.Local(t.PlannedEnd);
        input.RiskAnswers = t.RiskAnswers.ToDictionary(a => a.Key, a => (string?)a.Value, StringComparer.Ordinal);
        return input;
    }

    protected override UpdateTicket WithModuleFields(UpdateTicket update, EditInput input)
    {
        var now = _current!;
        static Optional<string?> IfChanged(string? typed, string? stored) =>
            ChangePages.Text(typed) is var t && t == stored ? Optional<string?>.Unset : t;
        // The form shows times to the minute: a time it shows unchanged keeps its stored seconds.
        static Optional<DateTimeOffset?> TimeIfChanged(DateTime? typed, DateTimeOffset? stored) =>
            typed == ChangePages.Local(stored) ? Optional<DateTimeOffset?>.Unset : ChangePages.Utc(typed);
        var answers = ChangePages.Answers(input.RiskAnswers);
        var sameAnswers = answers.Count == now.RiskAnswers.Count && answers.All(a => now.RiskAnswers.GetValueOrDefault(a.Key) == a.Value);
        return (UpdateChange)update with
        {
            Description = ChangePages.Text(input.Description),
            Justification = IfChanged(input.Justification, now.Justification),
            ImplementationPlan = IfChanged(input.ImplementationPlan, now.ImplementationPlan),
            BackoutPlan = IfChanged(input.BackoutPlan, now.BackoutPlan),
            TestPlan = IfChanged(input.TestPlan, now.TestPlan),
            PlannedStart = TimeIfChanged(input.PlannedStart, now.PlannedStart),
            PlannedEnd = TimeIfChanged(input.PlannedEnd, now.PlannedEnd),
            Implementer = ChangePages.Text(input.Implementer) is { } who ? who : Optional<string?>.Unset,
            RiskAnswers = sameAnswers ? Optional<IReadOnlyDictionary<string, string>>.Unset : new Optional<IReadOnlyDictionary<string, string>>(true, answers),
        };
    }

    public sealed class EditInput : TicketEditInput, IChangePlanInput
    {
        [Display(Name = "Justification")] public string? Justification { get; set; }
        [Display(Name = "Implementation plan")] public string? ImplementationPlan { get; set; }
        [Display(Name = "Backout plan")] public string? BackoutPlan { get; set; }
        [Display(Name = "Test plan")] public string? TestPlan { get; set; }
        [Display(Name = "Planned start")] public DateTime? PlannedStart { get; set; }
        [Display(Name = "Planned end")] public DateTime? PlannedEnd { get; set; }
        [Display(Name = "Implementer")] public string? Implementer { get; set; }
        public Dictionary<string, string?> RiskAnswers { get; set; } = [];
    }
}
