using System.Globalization;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Changes;

/// <summary>
/// A change to one or more CIs (its affected CIs are ticket CIs). Its type decides its path through the process; its
/// risk and conflicts are computed by the application from the graph and recorded here (<see cref="RecordAssessment"/>)
/// so that guards and lists see them. While a normal or emergency change is being authorised, its plan and CIs are frozen:
/// changing them sends it back to New (<see cref="Replan"/> says so).
/// </summary>
public class Change : Ticket
{
    public const int PlanTextMax = 8000;
    /// <summary>The longest planned window a change may have: longer work is several changes.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(31);
    /// <summary>The state in which the plan and the CIs are frozen (approvals run).</summary>
    public const string AuthorizeState = "authorize";
    public const string NewState = "new";

    private Change() { }

    public ChangeType Type { get; private set; }
    public string? TemplateCode { get; private set; }
    public string? Justification { get; private set; }
    public string? ImplementationPlan { get; private set; }
    public string? BackoutPlan { get; private set; }
    public string? TestPlan { get; private set; }
    public DateTimeOffset? PlannedStart { get; private set; }
    public DateTimeOffset? PlannedEnd { get; private set; }
    public string? ImplementerId { get; private set; }
    public string? ImplementerName { get; private set; }
    /// <summary>The risk last computed (null before the first assessment).</summary>
    public RiskLevel? Risk { get; private set; }
    /// <summary>The conflicts found by the last assessment.</summary>
    public int ConflictCount { get; private set; }
    /// <summary>The affected CIs counted by the last assessment (the guard <c>change-planned</c> needs one).</summary>
    public int AffectedCiCount { get; private set; }
    public DateTimeOffset? AssessedAt { get; private set; }
    /// <summary>Answers to the risk questionnaire: question id → answer id.</summary>
    public Dictionary<string, string> RiskAnswers { get; private set; } = [];
    public ChangePlan Plan => new()
    {
        Justification = Justification, ImplementationPlan = ImplementationPlan, BackoutPlan = BackoutPlan, TestPlan = TestPlan,
        PlannedStart = PlannedStart, PlannedEnd = PlannedEnd, ImplementerId = ImplementerId, ImplementerName = ImplementerName,
    };

    /// <summary>Whether everything a change needs before it is submitted is there (guard <c>change-planned</c>).</summary>
    public bool IsPlanned =>
        Justification is not null && ImplementationPlan is not null && BackoutPlan is not null && TestPlan is not null
        && PlannedStart is not null && PlannedEnd is not null && ImplementerId is not null && AffectedCiCount > 0;

    /// <summary>What the plan still lacks, for people ("a backout plan", "an affected CI").</summary>
    public IReadOnlyList<string> MissingForSubmission()
    {
        var missing = new List<string>();
        if (Justification is null) missing.Add("a justification");
        if (ImplementationPlan is null) missing.Add("an implementation plan");
        if (BackoutPlan is null) missing.Add("a backout plan");
        if (TestPlan is null) missing.Add("a test plan");
        if (PlannedStart is null || PlannedEnd is null) missing.Add("a planned start and end");
        if (ImplementerId is null) missing.Add("an implementer");
        if (AffectedCiCount == 0) missing.Add("an affected CI");
        return missing;
    }

    /// <summary>Raises a change in the process's initial state. Engineers raise changes; change managers and admins may too.</summary>
    public static Change Raise(TicketNumber number, ChangeType type, string? templateCode, string shortDescription, string? description,
        Impact impact, Urgency urgency, string? categoryCode, ChangePlan plan, Actor actor, ProcessDefinition process, DateTimeOffset now)
    {
        if (number.Kind != TicketKind.Change) throw new ArgumentException("A change needs a CHG number.", nameof(number));
        EnsureChangeWorker(actor, "raise changes");
        CheckType(type, templateCode);
        var change = new Change();
        change.Open(TicketKind.Change, number, shortDescription, description, impact, urgency, categoryCode,
            actor.UserId, actor.UserName, process, actor, now);
        // Recorded as set, not through Set: that would audit a change from the enum's default (Standard), or nothing for a standard change.
        change.Type = type;
        change.Record("type", null, type.ToString(), actor, now);
        change.Set("template", change.TemplateCode, templateCode, v => change.TemplateCode = v, actor, now);
        change.SetPlan(plan, actor, now);
        return change;
    }

    /// <summary>
    /// Changes the plan. Returns whether a frozen field changed while the change was being authorised: the caller then
    /// sends it back to New (<see cref="AutomaticTrigger.ChangeReplanned"/>) and starts the approvals again.
    /// </summary>
    public bool Replan(ChangePlan plan, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureChangeWorker(actor, "change a change's plan");
        var before = Plan;
        SetPlan(plan, actor, now);
        return State == AuthorizeState && Type == ChangeType.Normal && before != Plan;
    }

    /// <summary>The type can change only in New and before anyone approved: each type has its own approvals.</summary>
    public void Retype(ChangeType type, string? templateCode, bool anyApprovalGiven, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureChangeWorker(actor, "change a change's type");
        if (type == Type && templateCode == TemplateCode) return;
        if (State != NewState)
            throw new BusinessRuleException("change-type-frozen", $"{Number} is past New: its type can no longer change. Send it back to New first.");
        if (anyApprovalGiven)
            throw new BusinessRuleException("change-type-frozen", $"{Number} already has approvals: its type can no longer change.");
        CheckType(type, templateCode);
        Set("type", Type, type, v => Type = v, actor, now);
        Set("template", TemplateCode, templateCode, v => TemplateCode = v, actor, now);
    }

    /// <summary>Records the application's latest assessment (risk, conflicts, CIs counted); the risk is audited when it moves. <see cref="AssessedAt"/> is when the facts last changed.</summary>
    public void RecordAssessment(RiskLevel risk, int conflictCount, int affectedCiCount, DateTimeOffset now)
    {
        if (ClosedAt is not null) return; // a closed change keeps the risk it had
        // Unchanged facts write nothing: the graph refresh re-assesses changes often, and a write would race people's edits.
        if (AssessedAt is not null && Risk == risk && ConflictCount == conflictCount && AffectedCiCount == affectedCiCount) return;
        if (Risk != risk) Set("risk", Risk, risk, v => Risk = v, Actor.System, now, v => v?.Label());
        ConflictCount = conflictCount;
        AffectedCiCount = affectedCiCount;
        AssessedAt = now;
    }

    /// <summary>Keeps the risk questionnaire's answers (checked against the questionnaire by the caller).</summary>
    public void AnswerRiskQuestionnaire(IReadOnlyDictionary<string, string> answers, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        EnsureChangeWorker(actor, "answer the risk questionnaire");
        var text = Format(answers);
        if (text == Format(RiskAnswers)) return;
        Record("riskAnswers", Format(RiskAnswers), text, actor, now);
        RiskAnswers = new Dictionary<string, string>(answers, StringComparer.Ordinal);
    }

    /// <summary>Audits what happened to the approvals (asked, decided, recomputed, canceled): one line each.</summary>
    public void RecordApprovals(string text, Actor actor, DateTimeOffset now) => Record("approvals", null, text, actor, now);

    /// <summary>The effect <c>record-rework</c>: why the change goes back to New.</summary>
    internal void RecordRework(string reason, Actor actor, DateTimeOffset now) => Record("reworkReason", null, reason, actor, now);

    /// <summary>The state in which a change is being implemented: CMDB writes it names are authorised then.</summary>
    public const string ImplementState = "implement";

    /// <summary>
    /// Why this change does not cover a CMDB write by <paramref name="actor"/> at <paramref name="now"/>, or null when it
    /// does: it is being implemented, by them, inside its planned window.
    /// </summary>
    public string? WhyNotCovering(Actor actor, DateTimeOffset now)
    {
        if (State != ImplementState) return $"{Number} is not being implemented (it is {State}).";
        if (!IsImplementer(actor)) return $"{actor.UserName} is not the implementer of {Number} ({ImplementerName}).";
        if (PlannedStart is not { } s || PlannedEnd is not { } e || now < s || now >= e)
            return $"{Number}'s window ({FormatTime(PlannedStart)} – {FormatTime(PlannedEnd)}) does not include {FormatTime(now)}.";
        return null;
    }

    /// <summary>Whether the change has been (or is being) implemented: being in Implement, or having an outcome recorded.</summary>
    public bool WasImplemented => State == ImplementState || ResolutionCode is not null;

    /// <summary>Whether the actor is the change's implementer.</summary>
    public bool IsImplementer(Actor actor) => ImplementerId is not null && ImplementerId == actor.UserId;

    /// <summary>The plan's window overlaps [start, end).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) =>
        PlannedStart is { } s && PlannedEnd is { } e && s < end && start < e;

    private void SetPlan(ChangePlan plan, Actor actor, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        string? Text(string? value, string field)
        {
            var t = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            if (t is { Length: > PlanTextMax }) errors[field] = [$"At most {PlanTextMax} characters."];
            return t;
        }
        var justification = Text(plan.Justification, "justification");
        var implementation = Text(plan.ImplementationPlan, "implementationPlan");
        var backout = Text(plan.BackoutPlan, "backoutPlan");
        var test = Text(plan.TestPlan, "testPlan");
        if (plan.PlannedStart is null != plan.PlannedEnd is null)
            errors[plan.PlannedStart is null ? "plannedStart" : "plannedEnd"] = ["A planned window needs both a start and an end."];
        else if (plan.PlannedStart is { } s && plan.PlannedEnd is { } e)
        {
            if (e <= s) errors["plannedEnd"] = ["The planned end must be after the planned start."];
            else if (e - s > LongestWindow) errors["plannedEnd"] = [$"A change's window is at most {LongestWindow.TotalDays:0} days; split longer work into several changes."];
        }
        if (plan.ImplementerId is not null && string.IsNullOrWhiteSpace(plan.ImplementerName))
            throw new ArgumentException("An implementer needs a name.", nameof(plan));
        if (errors.Count > 0) throw new FieldValidationException(errors);

        Set("justification", Justification, justification, v => Justification = v, actor, now);
        Set("implementationPlan", ImplementationPlan, implementation, v => ImplementationPlan = v, actor, now);
        Set("backoutPlan", BackoutPlan, backout, v => BackoutPlan = v, actor, now);
        Set("testPlan", TestPlan, test, v => TestPlan = v, actor, now);
        // Stored to the second: what people plan and what the API round-trips, and equal after a reload on both databases.
        Set("plannedStart", PlannedStart, Seconds(plan.PlannedStart), v => PlannedStart = v, actor, now, FormatTime);
        Set("plannedEnd", PlannedEnd, Seconds(plan.PlannedEnd), v => PlannedEnd = v, actor, now, FormatTime);
        if (ImplementerId != plan.ImplementerId)
        {
            Record("implementer", ImplementerName, plan.ImplementerName?.Trim(), actor, now);
            ImplementerId = plan.ImplementerId;
            ImplementerName = plan.ImplementerId is null ? null : plan.ImplementerName!.Trim();
        }
    }

    private static DateTimeOffset? Seconds(DateTimeOffset? t) =>
        t is { } v ? new DateTimeOffset(v.UtcTicks - v.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero) : null;

    private static void CheckType(ChangeType type, string? templateCode)
    {
        if (!Enum.IsDefined(type)) throw new FieldValidationException("type", "The type must be standard, normal or emergency.");
        if (type == ChangeType.Standard && string.IsNullOrWhiteSpace(templateCode))
            throw new FieldValidationException("template", "A standard change comes from a template of the standard-change catalog.");
        if (type != ChangeType.Standard && templateCode is not null)
            throw new FieldValidationException("template", "Only a standard change comes from a template.");
    }

    private static void EnsureChangeWorker(Actor actor, string what)
    {
        if (!actor.IsInRole(Roles.Engineer) && !actor.IsInRole(Roles.ChangeManager) && !actor.IsInRole(Roles.Admin))
            throw new ForbiddenException($"Only engineers and change managers {what}.");
    }

    private static string? Format(IReadOnlyDictionary<string, string> answers) =>
        answers.Count == 0 ? null : string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value));

    public static string TypeId(ChangeType type) => type.ToString().ToLower(CultureInfo.InvariantCulture);

    public static ChangeType? ParseType(string? id) => id?.Trim().ToLowerInvariant() switch
    {
        "standard" => ChangeType.Standard,
        "normal" => ChangeType.Normal,
        "emergency" => ChangeType.Emergency,
        _ => null,
    };
}
