using System.Globalization;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;

namespace Itsm.Domain.Tickets;

/// <summary>
/// The ticket core shared by incidents, problems, changes and requests: number, lifecycle state,
/// impact × urgency → priority, assignment, worklog and a field-level audit history.
/// Every change goes through a method that records who changed what, and bumps <see cref="Version"/>
/// so that concurrent edits are detected.
/// </summary>
public abstract class Ticket : IGuardedTicket
{
    public const int ShortDescriptionMax = 160;
    public const int DescriptionMax = 8000;
    public const int WorklogTextMax = 8000;

    private readonly List<TicketChange> _changes = [];
    private readonly List<WorklogEntry> _worklog = [];

    protected Ticket() { }

    public Guid Id { get; protected set; }
    public TicketKind Kind { get; protected set; }
    public string Number { get; protected set; } = "";
    public string ShortDescription { get; protected set; } = "";
    public string? Description { get; protected set; }
    public string State { get; protected set; } = "";
    public Impact Impact { get; protected set; }
    public Urgency Urgency { get; protected set; }
    public Priority Priority { get; protected set; }
    public string? PriorityOverrideReason { get; protected set; }
    public string? CategoryCode { get; protected set; }
    public string RequesterId { get; protected set; } = "";
    public string RequesterName { get; protected set; } = "";
    public Guid? AssignmentGroupId { get; protected set; }
    public string? AssignmentGroupName { get; protected set; }
    public string? AssigneeId { get; protected set; }
    public string? AssigneeName { get; protected set; }
    public int ReassignmentCount { get; protected set; }
    public int ReopenCount { get; protected set; }
    public string? HoldReason { get; protected set; }
    public string? ResolutionCode { get; protected set; }
    public string? ResolutionNotes { get; protected set; }
    public string? CancelReason { get; protected set; }
    public DateTimeOffset OpenedAt { get; protected set; }
    public DateTimeOffset UpdatedAt { get; protected set; }
    public DateTimeOffset? ResolvedAt { get; protected set; }
    public DateTimeOffset? ClosedAt { get; protected set; }
    /// <summary>When the ticket entered its current state (the time of the history's last state change): timers count from it.</summary>
    public DateTimeOffset? StateChangedAt { get; protected set; }
    /// <summary>Optimistic concurrency: bumped on every change; the API's ETag.</summary>
    public int Version { get; protected set; }

    /// <summary>The changes made through this object (loaded ones only when the store loads them), oldest first.</summary>
    public IReadOnlyCollection<TicketChange> Changes => _changes;

    /// <summary><see cref="Changes"/> field by field.</summary>
    public IReadOnlyList<TicketHistoryEntry> History => _changes.SelectMany(c => c.Entries()).ToList();
    public IReadOnlyCollection<WorklogEntry> Worklog => _worklog;

    public bool IsPriorityOverridden => PriorityOverrideReason is not null;

    protected void Open(TicketKind kind, TicketNumber number, string shortDescription, string? description,
        Impact impact, Urgency urgency, string? categoryCode, string requesterId, string requesterName,
        ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now); // time-ordered: new rows go to the end of the primary key index, not to a random page
        Kind = kind;
        Number = number.ToString();
        OpenedAt = now;
        RequesterId = requesterId;
        RequesterName = requesterName;
        Record("number", null, Number, actor, now);
        Record("requester", null, requesterName, actor, now);
        SetState(process.InitialState, process, actor, now);
        Describe(shortDescription, description, actor, now);
        Categorise(categoryCode, actor, now);
        Reprioritise(impact, urgency, process.PriorityMatrix, actor, now);
        Version = 1;
    }

    public void Describe(string shortDescription, string? description, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        var errors = new Dictionary<string, string[]>();
        var sd = shortDescription?.Trim() ?? "";
        if (sd.Length == 0) errors["shortDescription"] = ["A short description is required."];
        else if (sd.Length > ShortDescriptionMax) errors["shortDescription"] = [$"At most {ShortDescriptionMax} characters."];
        var d = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (d is { Length: > DescriptionMax }) errors["description"] = [$"At most {DescriptionMax} characters."];
        if (errors.Count > 0) throw new FieldValidationException(errors);
        Set("shortDescription", ShortDescription, sd, v => ShortDescription = v, actor, now);
        Set("description", Description, d, v => Description = v, actor, now);
    }

    public void Categorise(string? categoryCode, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        Set("category", CategoryCode, categoryCode, v => CategoryCode = v, actor, now);
    }

    /// <summary>Sets impact and urgency; the priority follows the matrix unless it was overridden.</summary>
    public void Reprioritise(Impact impact, Urgency urgency, PriorityMatrix matrix, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (!Enum.IsDefined(impact)) throw new FieldValidationException("impact", "Impact must be 1, 2 or 3.");
        if (!Enum.IsDefined(urgency)) throw new FieldValidationException("urgency", "Urgency must be 1, 2 or 3.");
        Set("impact", Impact, impact, v => Impact = v, actor, now, v => v.Label());
        Set("urgency", Urgency, urgency, v => Urgency = v, actor, now, v => v.Label());
        if (!IsPriorityOverridden)
            Set("priority", Priority, matrix.PriorityOf(impact, urgency), v => Priority = v, actor, now, v => v.Label());
    }

    /// <summary>Sets the priority by hand, away from the matrix; needs a reason, which is audited.</summary>
    public void OverridePriority(Priority priority, string reason, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (!Enum.IsDefined(priority)) throw new FieldValidationException("priority", "Priority must be 1, 2, 3 or 4.");
        if (string.IsNullOrWhiteSpace(reason))
            throw new FieldValidationException("priorityOverrideReason", "Overriding the priority needs a reason.");
        if (!actor.IsFulfiller) throw new ForbiddenException("Only the service desk may override a priority.");
        Set("priorityOverrideReason", PriorityOverrideReason, reason.Trim(), v => PriorityOverrideReason = v, actor, now);
        Set("priority", Priority, priority, v => Priority = v, actor, now, v => v.Label());
    }

    /// <summary>Returns the priority to the matrix's value.</summary>
    public void ClearPriorityOverride(PriorityMatrix matrix, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (!IsPriorityOverridden) return;
        Set("priorityOverrideReason", PriorityOverrideReason, null, v => PriorityOverrideReason = v, actor, now);
        Set("priority", Priority, matrix.PriorityOf(Impact, Urgency), v => Priority = v, actor, now, v => v.Label());
    }

    /// <summary>Assigns to a group and optionally one of its members. A change of group after the first counts as a reassignment.</summary>
    public void Assign(AssignmentGroup? group, string? assigneeId, string? assigneeName, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (AssignmentGroupId == group?.Id && AssigneeId == assigneeId) return; // unchanged, even if the group's members have since changed
        if (assigneeId is not null && group is null)
            throw new FieldValidationException("assignee", "An assignee needs an assignment group.");
        if (assigneeId is not null && !group!.HasMember(assigneeId))
            throw new FieldValidationException("assignee", $"The assignee is not a member of {group.Name}.");
        var previousGroup = AssignmentGroupId;
        var previousAssignee = AssigneeId;
        if (previousGroup is not null && previousGroup != group?.Id
            || previousAssignee is not null && previousAssignee != assigneeId && previousGroup == group?.Id)
            Set("reassignmentCount", ReassignmentCount, ReassignmentCount + 1, v => ReassignmentCount = v, actor, now);
        if (AssignmentGroupId != group?.Id)
        {
            Record("assignmentGroup", AssignmentGroupName, group?.Name, actor, now);
            AssignmentGroupId = group?.Id;
            AssignmentGroupName = group?.Name;
        }
        if (AssigneeId != assigneeId)
        {
            Record("assignee", AssigneeName, assigneeName, actor, now);
            AssigneeId = assigneeId;
            AssigneeName = assigneeId is null ? null : assigneeName;
        }
    }

    /// <summary>
    /// Runs a named transition of the process with its fields, after checking roles, guards and fields (required ones
    /// given, no others than it declares). Reports what it did.
    /// </summary>
    public TransitionOutcome ApplyTransition(ProcessDefinition process, string transitionName, IReadOnlyDictionary<string, string?> fields,
        Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        var t = Lifecycle.Authorize(process, transitionName, this, actor, now, fields);
        return Enter(process, t.Name, t.To, t.Effects, fields, actor, now);
    }

    /// <summary>Runs a transition the system makes by itself (caller responded, auto-close, problem fixed).</summary>
    public TransitionOutcome ApplyAutomatic(ProcessDefinition process, AutomaticTransitionDefinition auto, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        if (State != auto.From) throw new BusinessRuleException("transition-not-allowed", $"'{auto.Name}' applies only from '{auto.From}'.");
        if (auto.HoldReason is { } reason && HoldReason != reason)
            throw new BusinessRuleException("transition-not-allowed", $"'{auto.Name}' applies only while on hold for '{reason}'.");
        return Enter(process, auto.Name, auto.To, [], new Dictionary<string, string?>(), actor, now);
    }

    /// <summary>The automatic transition of this trigger that applies to the ticket now, if any.</summary>
    public AutomaticTransitionDefinition? AutomaticFor(ProcessDefinition process, AutomaticTrigger trigger) =>
        process.AutomaticTransitions.FirstOrDefault(a =>
            a.Trigger == trigger && a.From == State && (a.HoldReason is null || a.HoldReason == HoldReason));

    /// <summary>
    /// Moves the ticket out of <paramref name="from"/>, a state its process no longer has, into <paramref name="to"/>, as the
    /// definition's <c>state-renames</c> says: a rename, not a transition (no roles, guards or fields), audited as the system's.
    /// </summary>
    public void RenameState(ProcessDefinition process, string from, string to, DateTimeOffset now)
    {
        if (State != from) throw new InvalidOperationException($"{Number} is in state '{State}', not '{from}'.");
        var target = process.State(to);
        Record("state", from, target.Label, Actor.System, now); // the old state's label is gone with it: its id stands in
        State = to;
        StateChangedAt = now;
    }

    /// <summary>Adds a public comment or an internal work note. A caller's comment may move the ticket by itself.</summary>
    public WorklogEntry AddWorklog(WorklogKind kind, string text, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        var body = text?.Trim() ?? "";
        if (body.Length == 0) throw new FieldValidationException("text", "The text is required.");
        if (body.Length > WorklogTextMax) throw new FieldValidationException("text", $"At most {WorklogTextMax} characters.");
        if (kind == WorklogKind.WorkNote && !actor.IsFulfiller)
            throw new ForbiddenException("Only the service desk writes work notes.");
        if (process.State(State).IsFinal)
            throw new BusinessRuleException("ticket-closed", $"{Number} is {process.State(State).Label.ToLowerInvariant()}; it takes no more comments.");
        var entry = new WorklogEntry(Id, kind, body, actor.UserId, actor.UserName, now);
        _worklog.Add(entry);
        Touch(now);
        if (kind == WorklogKind.Comment && actor.UserId == RequesterId && AutomaticFor(process, AutomaticTrigger.CallerComment) is { } auto)
            ApplyAutomatic(process, auto, actor, now);
        return entry;
    }

    /// <summary>
    /// Moves to <paramref name="to"/>, doing the named effects with the given fields. Generic: what a transition does
    /// besides changing state is declared in the process, and done by the effects of <see cref="ProcessVocabulary"/>.
    /// </summary>
    protected TransitionOutcome Enter(ProcessDefinition process, string transition, string to, IReadOnlyList<string> effects,
        IReadOnlyDictionary<string, string?> fields, Actor actor, DateTimeOffset now)
    {
        var from = State;
        var target = process.State(to);
        var values = Values(process, fields);
        // A hold reason describes the pause it was given for: any move that does not record a new one ends it.
        if (!effects.Contains(TransitionEffects.RecordHoldReason))
            Set("holdReason", HoldReason, null, v => HoldReason = v, actor, now);
        foreach (var name in effects)
            TransitionEffects.All[name].Apply(new EffectContext(this, process, values, actor, now));
        if (target.IsFinal)
            Set("closedAt", ClosedAt, now, v => ClosedAt = v, actor, now, FormatTime);
        SetState(to, process, actor, now);
        return new TransitionOutcome(transition, from, to, effects);
    }

    /// <summary>The given fields, trimmed, blanks dropped, choices checked against the process's lists, lengths checked.</summary>
    private static Dictionary<string, string> Values(ProcessDefinition process, IReadOnlyDictionary<string, string?> fields)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, raw) in fields)
        {
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var value = raw.Trim();
            var field = TransitionFields.All.GetValueOrDefault(name);
            if (field?.Choices?.Invoke(process) is { } choices && choices.All(c => c.Id != value))
                errors["fields." + name] = [$"'{value}' is not a {field.Label.ToLowerInvariant()}. Known: {string.Join(", ", choices.Select(c => c.Id))}."];
            else if (field is not null && value.Length > field.MaxLength)
                errors["fields." + name] = [$"At most {field.MaxLength} characters."];
            else values[name] = value;
        }
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return values;
    }

    /// <summary>Audits a change to the ticket's CIs (affected CIs, impacted services), which are kept in rows of their own.</summary>
    public void RecordConfigurationItems(string field, string? oldValue, string? newValue, Actor actor, DateTimeOffset now)
    {
        EnsureNotFinal();
        Record(field, oldValue, newValue, actor, now);
    }

    internal void RecordResolution(string code, string? notes, Actor actor, DateTimeOffset now)
    {
        Set("resolutionCode", ResolutionCode, code, v => ResolutionCode = v, actor, now);
        Set("resolutionNotes", ResolutionNotes, notes, v => ResolutionNotes = v, actor, now);
        Set("resolvedAt", ResolvedAt, now, v => ResolvedAt = v, actor, now, FormatTime);
    }

    internal void RecordHoldReason(string reason, Actor actor, DateTimeOffset now) =>
        Set("holdReason", HoldReason, reason, v => HoldReason = v, actor, now);

    internal void RecordCancelReason(string reason, Actor actor, DateTimeOffset now) =>
        Set("cancelReason", CancelReason, reason, v => CancelReason = v, actor, now);

    internal void Reopen(string? reason, Actor actor, DateTimeOffset now)
    {
        Set("reopenCount", ReopenCount, ReopenCount + 1, v => ReopenCount = v, actor, now);
        Set("resolutionCode", ResolutionCode, null, v => ResolutionCode = v, actor, now);
        Set("resolutionNotes", ResolutionNotes, null, v => ResolutionNotes = v, actor, now);
        Set("resolvedAt", ResolvedAt, null, v => ResolvedAt = v, actor, now, FormatTime);
        if (reason is not null)
            _worklog.Add(new WorklogEntry(Id, WorklogKind.Comment, "Reopened: " + reason, actor.UserId, actor.UserName, now));
    }

    private void SetState(string state, ProcessDefinition process, Actor actor, DateTimeOffset now)
    {
        if (State == state) return;
        Set("state", State, state, v => State = v, actor, now, v => process.State(v).Label);
        StateChangedAt = now;
    }

    protected void EnsureNotFinal()
    {
        if (ClosedAt is not null)
            throw new BusinessRuleException("ticket-closed", $"{Number} is closed and can no longer change.");
    }

    protected void Set<T>(string field, T current, T value, Action<T> assign, Actor actor, DateTimeOffset now, Func<T, string?>? format = null)
    {
        if (EqualityComparer<T>.Default.Equals(current, value)) return;
        format ??= v => v switch { null => null, IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString() };
        var old = current is null or "" || Version == 0 ? null : format(current); // while opening there is no old value
        assign(value);
        Record(field, old, value is null ? null : format(value), actor, now);
    }

    protected void Record(string field, string? oldValue, string? newValue, Actor actor, DateTimeOffset now)
    {
        // Fields changed by one actor at one moment (one command) make one change.
        var change = _changes.Count > 0 && _changes[^1].IsSameChange(actor.UserId, now) ? _changes[^1] : null;
        if (change is null) _changes.Add(change = new TicketChange(Id, Version, actor.UserId, actor.UserName, now));
        change.Add(new FieldChange(field, oldValue, newValue));
        Touch(now);
    }

    private void Touch(DateTimeOffset now)
    {
        UpdatedAt = now;
        // Opened tickets start at version 1; every later change moves it on (once per request is enough, but more is harmless).
        if (Version > 0) Version++;
    }

    protected static string FormatTime(DateTimeOffset? t) => t?.ToString("u", CultureInfo.InvariantCulture) ?? "";
}
