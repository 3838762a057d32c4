using System.Globalization;
using Itsm.Application.Features.Changes;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Common;
using Itsm.Web.Pages.Shared;
using MediatR;

namespace Itsm.Web.Pages.Changes;

/// <summary>The plan fields the create and edit forms of a change share (shown by the _ChangePlanFields partial).</summary>
public interface IChangePlanInput
{
    string? Justification { get; set; }
    string? ImplementationPlan { get; set; }
    string? BackoutPlan { get; set; }
    string? TestPlan { get; set; }
    /// <summary>A datetime-local value, read as UTC (the form says so).</summary>
    DateTime? PlannedStart { get; set; }
    DateTime? PlannedEnd { get; set; }
    string? Implementer { get; set; }
    /// <summary>Risk questionnaire: question id → answer id; blank is unanswered.</summary>
    Dictionary<string, string?> RiskAnswers { get; set; }
}

/// <summary>What the _ChangePlanFields partial reads.</summary>
public interface IChangePlanForm
{
    IChangePlanInput Input { get; }
    RiskModel RiskModel { get; }
    /// <summary>The hint under the implementer field.</summary>
    string ImplementerHelp { get; }
    /// <summary>The hint under the plan texts (e.g. what a template fills in when they are left blank).</summary>
    string? PlanHelp { get; }
}

/// <summary>What the change pages share: how form values become request values, field maps, CI names and decisions.</summary>
public static class ChangePages
{
    /// <summary>The datetime-local format of the forms: to the minute, UTC.</summary>
    public const string LocalFormat = "yyyy-MM-ddTHH:mm";

    public static readonly IReadOnlyList<(string Id, string Label, string Help)> Types =
    [
        ("normal", "Normal", "Assessed, then authorised by the approvers the policy picks."),
        ("standard", "Standard", "Pre-approved, from a template of the standard-change catalog."),
        ("emergency", "Emergency", "Urgent: authorised by the emergency CAB, skips assessment."),
    ];

    /// <summary>The plan's domain field keys → their inputs, with the questionnaire's answers.</summary>
    public static (string Field, string Input)[] PlanFields(RiskModel risk) =>
    [
        ("type", "Input.Type"), ("template", "Input.Template"),
        ("justification", "Input.Justification"), ("implementationPlan", "Input.ImplementationPlan"),
        ("backoutPlan", "Input.BackoutPlan"), ("testPlan", "Input.TestPlan"),
        ("plannedStart", "Input.PlannedStart"), ("plannedEnd", "Input.PlannedEnd"), ("implementer", "Input.Implementer"),
        ("ciIds", "Input.Cis"),
        .. risk.Questions.Select(q => ($"answers.{q.Id}", AnswerKey(q.Id))),
    ];

    /// <summary>The form name (and ModelState key) of a questionnaire answer.</summary>
    public static string AnswerKey(string questionId) => $"Input.RiskAnswers[{questionId}]";

    /// <summary>Blank is "not given"; a browser sends a textarea's line breaks as CR LF, stored as LF.</summary>
    public static string? Text(string? s) => TicketFormInput.Text(s?.Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>A datetime-local value as the UTC time it names.</summary>
    public static DateTimeOffset? Utc(DateTime? local) =>
        local is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    /// <summary>A stored time as the form shows it (UTC, to the minute).</summary>
    public static DateTime? Local(DateTimeOffset? at) =>
        at is { } t ? new DateTime(t.UtcDateTime.Ticks - t.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Unspecified) : null;

    /// <summary>The answers given; unanswered questions are left out.</summary>
    public static IReadOnlyDictionary<string, string> Answers(Dictionary<string, string?> answers) =>
        answers.Where(a => !string.IsNullOrWhiteSpace(a.Value)).ToDictionary(a => a.Key, a => a.Value!.Trim(), StringComparer.Ordinal);

    public static string RiskClass(string? risk) => "risk risk-" + (risk ?? "none");

    public static string RiskLabelFor(string? risk) => RiskLevelText.Parse(risk)?.Label() ?? "not assessed";

    /// <summary>A conflict's kind (<see cref="ConflictView.Kind"/>), for people.</summary>
    public static string ConflictLabel(string kind) => kind switch
    {
        "same-ci" => "Same CI",
        "related-ci" => "Related CI",
        "outside-maintenance-window" => "Outside the maintenance window",
        "blackout" => "Blackout",
        "implementer-busy" => "Implementer busy",
        _ => kind,
    };

    public static string TypeLabel(string type) => Types.FirstOrDefault(t => t.Id == type).Label ?? type;

    /// <summary>"2030-01-02 10:00 – 12:00 UTC", or the two full times when the window spans days.</summary>
    public static string Window(DateTimeOffset? start, DateTimeOffset? end)
    {
        if (start is not { } s || end is not { } e) return "Not planned yet";
        var (su, eu) = (s.UtcDateTime, e.UtcDateTime);
        return su.Date == eu.Date
            ? $"{su.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}–{eu.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC"
            : $"{Display.When(s)} – {Display.When(e)}";
    }

    /// <summary>
    /// The affected CIs typed as ids or exact names, comma separated, as ids. Names are looked up with the CMDB search
    /// and must name exactly one CI the person may see; every name that does not is a field error on <c>ciIds</c>.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ResolveCisAsync(IMediator mediator, string? typed)
    {
        var ids = new List<long>();
        var errors = new List<string>();
        var parts = (typed ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > ImpactedServices.MaxAffectedCis)
            throw new FieldValidationException("ciIds", $"A change has at most {ImpactedServices.MaxAffectedCis} affected CIs.");
        foreach (var part in parts)
        {
            if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                if (id > 0) ids.Add(id);
                else errors.Add($"There is no CI {part}.");
                continue;
            }
            if (part.Length > AddAffectedCiValidator.MaxName)
            {
                errors.Add($"A CI name has at most {AddAffectedCiValidator.MaxName} characters.");
                continue;
            }
            var named = await NamedAsync(mediator, part);
            switch (named.Count)
            {
                case 0: errors.Add($"There is no CI named '{part}'."); break;
                case 1: ids.Add(named[0].Id); break;
                default: errors.Add($"{named.Count} CIs are named '{part}'; give the id of the one you mean ({string.Join(", ", named.Take(5).Select(c => c.Id))})."); break;
            }
        }
        if (errors.Count > 0) throw new FieldValidationException(new Dictionary<string, string[]> { ["ciIds"] = errors.ToArray() });
        // The same CI typed twice (by id and by name) is one affected CI.
        return ids.Distinct().ToList();
    }

    /// <summary>The visible CIs whose name is exactly <paramref name="name"/> (the search matches parts of names: a few pages at most).</summary>
    private static async Task<List<CiSummary>> NamedAsync(IMediator mediator, string name)
    {
        const int pageSize = 200, maxPages = 5;
        var exact = new List<CiSummary>();
        for (var page = 1; page <= maxPages; page++)
        {
            var found = await mediator.Send(new ListConfigurationItems { Name = name, Page = page, PageSize = pageSize });
            exact.AddRange(found.Items.Where(c => c.Class is not null && string.Equals(c.Name, name, StringComparison.Ordinal)));
            if (page >= found.PageCount) break;
        }
        return exact;
    }

    /// <summary>Where a change's approvals stand as a whole (<see cref="ChangeApprovalsView.State"/>), for people.</summary>
    public static string OutcomeLabel(string state) => state switch
    {
        "none" => "No approvals asked yet",
        "notstarted" => "No approval in force",
        "pending" => "Waiting for approvals",
        "approved" => "Approved",
        "rejected" => "Rejected",
        _ => state,
    };

    /// <summary>One approval's state (<see cref="ApprovalView.State"/>), for people.</summary>
    public static string ApprovalStateLabel(string state) => state switch
    {
        "waiting" => "Waiting for an earlier stage",
        "requested" => "Requested",
        "approved" => "Approved",
        "rejected" => "Rejected",
        "canceled" => "Canceled",
        _ => state,
    };

    public static readonly IReadOnlyDictionary<string, string> DecisionFields =
        PageModelExtensions.FieldMap(("comment", "comment"), ("decision", "decision"));

    /// <summary>Approves or rejects one approval; returns what the person reads afterwards.</summary>
    public static async Task<string> DecideAsync(IMediator mediator, string number, Guid approvalId, string? decision, string? comment, int? version)
    {
        var approvals = await mediator.Send(new DecideChangeApproval(number, approvalId, decision, Text(comment), version));
        var change = await mediator.Send(new GetChange(approvals.Number));
        var done = decision == "approve" ? "approved" : "rejected";
        return change.State == Change.AuthorizeState
            ? $"You {done} {change.Number}; it waits for its other approvals."
            : $"You {done} {change.Number}; it is now {change.StateLabel}.";
    }
}

/// <summary>
/// What the _ApprovalDecision partial needs: the approval, the change's version, the page that takes the post (with
/// the change's number in its route, or in a hidden field) and, after a failed post, the comment and its errors.
/// </summary>
public sealed record ApprovalDecisionForm(string Number, Guid ApprovalId, int Version, string Page, bool NumberInRoute, string For, bool Failed, string? Comment);
