using System.Globalization;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;

namespace Itsm.Domain.Changes.Cab;

/// <summary>Where a CAB meeting stands.</summary>
public enum CabMeetingState
{
    /// <summary>On the calendar with its agenda; the change manager may still reorder it and prepare the minutes.</summary>
    Planned = 0,
    /// <summary>The board is sitting: decisions are recorded on the agenda items.</summary>
    InProgress = 1,
    /// <summary>Over: the record (decisions and minutes) no longer changes.</summary>
    Closed = 2,
}

/// <summary>A change on its way onto an agenda: its id and number.</summary>
public sealed record CabAgendaEntry(Guid ChangeId, string ChangeNumber);

/// <summary>What recording a decision did: the item, what it held before, and whether anything changed.</summary>
public sealed record CabDecisionRecorded(CabAgendaItem Item, CabDecision Previous, string? PreviousNotes, bool Changed)
{
    /// <summary>The item had a decision already and now has another (audited as such).</summary>
    public bool Redecided => Changed && Previous != CabDecision.None;
}

/// <summary>
/// A meeting of the Change Advisory Board: when it sits, the period whose changes it reviews, its agenda (the changes
/// awaiting the CAB, in order) with the decision on each, and its minutes. The change manager plans, reorders,
/// starts and closes it and keeps the minutes; CAB members (and change managers) record decisions while it sits.
/// A closed meeting is the record of what was decided and changes no more. Every change is audited in <see cref="Log"/>.
/// </summary>
public class CabMeeting
{
    public const int TitleMax = 200;
    public const int MinutesMax = 20000;
    /// <summary>As long as an approval's comment: a decision's notes become the comment of the member's CAB approval.</summary>
    public const int NotesMax = ChangeApproval.CommentMax;
    public const int MaxItems = 100;
    public static readonly TimeSpan LongestMeeting = TimeSpan.FromHours(12);
    public static readonly TimeSpan LongestPeriod = TimeSpan.FromDays(92);

    private readonly List<CabAgendaItem> _items = [];
    private readonly List<CabMeetingLogEntry> _log = [];

    private CabMeeting() { }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public DateTimeOffset StartsAt { get; private set; }
    public DateTimeOffset EndsAt { get; private set; }
    /// <summary>The first instant of the period whose changes (by planned start) the meeting reviews.</summary>
    public DateTimeOffset PeriodFrom { get; private set; }
    /// <summary>The end of the period, exclusive.</summary>
    public DateTimeOffset PeriodTo { get; private set; }
    public CabMeetingState State { get; private set; }
    public string? Minutes { get; private set; }
    public string CreatedById { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>Bumped by every change; the ETag, so two people at the workbench do not overwrite each other.</summary>
    public int Version { get; private set; }

    /// <summary>The agenda in its order.</summary>
    public IReadOnlyList<CabAgendaItem> Items => _items.OrderBy(i => i.Order).ToList();
    public IReadOnlyList<CabMeetingLogEntry> Log => _log.OrderBy(e => e.MeetingVersion).ThenBy(e => e.At).ToList();

    /// <summary>Who runs meetings: plans, reorders, starts, closes and keeps the minutes.</summary>
    public static bool MayRun(Actor actor) => actor.IsInRole(Roles.ChangeManager) || actor.IsInRole(Roles.Admin);

    /// <summary>Who records the board's decisions.</summary>
    public static bool MayDecide(Actor actor) => actor.IsInRole(Roles.CabMember) || MayRun(actor);

    /// <summary>
    /// Plans a meeting with its agenda (duplicates dropped, order kept). Times are kept in UTC to the second; the
    /// meeting lasts at most <see cref="LongestMeeting"/>, the period at most <see cref="LongestPeriod"/>.
    /// </summary>
    public static CabMeeting Plan(string? title, DateTimeOffset startsAt, DateTimeOffset endsAt, DateTimeOffset periodFrom, DateTimeOffset periodTo,
        IReadOnlyList<CabAgendaEntry> agenda, Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "plan CAB meetings");
        var entries = agenda.DistinctBy(e => e.ChangeId).ToList();
        var errors = Problems(title, startsAt, endsAt, periodFrom, periodTo, entries.Count);
        if (errors.Count > 0) throw new FieldValidationException(errors);
        var text = title!.Trim();
        (startsAt, endsAt, periodFrom, periodTo) = (Seconds(startsAt), Seconds(endsAt), Seconds(periodFrom), Seconds(periodTo));

        var meeting = new CabMeeting
        {
            Id = Guid.CreateVersion7(now),
            Title = text,
            StartsAt = startsAt,
            EndsAt = endsAt,
            PeriodFrom = periodFrom,
            PeriodTo = periodTo,
            State = CabMeetingState.Planned,
            CreatedById = actor.UserId,
            CreatedByName = actor.UserName,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        for (var i = 0; i < entries.Count; i++)
            meeting._items.Add(new CabAgendaItem(meeting.Id, entries[i].ChangeId, entries[i].ChangeNumber, i + 1, now));
        meeting.Audit(actor, now, bump: false, entries.Count == 0
            ? "planned the meeting with an empty agenda"
            : $"planned the meeting with {Count(entries.Count, "change")}: {string.Join(", ", entries.Select(e => e.ChangeNumber))}");
        return meeting;
    }

    /// <summary>What is wrong with a meeting's plan, field by field (empty when nothing): for <see cref="Plan"/> and the request's validator alike.</summary>
    public static IReadOnlyDictionary<string, string[]> Problems(string? title, DateTimeOffset? startsAt, DateTimeOffset? endsAt,
        DateTimeOffset? periodFrom, DateTimeOffset? periodTo, int agendaCount)
    {
        var errors = new Dictionary<string, string[]>();
        var text = title?.Trim() ?? "";
        if (text.Length == 0) errors["title"] = ["Give the meeting a title."];
        else if (text.Length > TitleMax) errors["title"] = [$"At most {TitleMax} characters."];
        if (startsAt is null) errors["startsAt"] = ["When does the meeting start?"];
        if (endsAt is null) errors["endsAt"] = ["When does the meeting end?"];
        else if (startsAt is { } s && endsAt is { } e)
        {
            if (e <= s) errors["endsAt"] = ["The meeting must end after it starts."];
            else if (e - s > LongestMeeting) errors["endsAt"] = [$"A meeting lasts at most {LongestMeeting.TotalHours:0} hours."];
        }
        if (periodFrom is null) errors["periodFrom"] = ["From when are the changes the meeting reviews planned?"];
        if (periodTo is null) errors["periodTo"] = ["Until when are the changes the meeting reviews planned?"];
        else if (periodFrom is { } f && periodTo is { } t)
        {
            if (t <= f) errors["periodTo"] = ["The period must end after it starts."];
            else if (t - f > LongestPeriod) errors["periodTo"] = [$"A meeting reviews at most {LongestPeriod.TotalDays:0} days of changes."];
        }
        if (agendaCount > MaxItems) errors["changeNumbers"] = [$"An agenda has at most {MaxItems} changes; plan another meeting for the rest."];
        return errors;
    }

    /// <summary>Puts the agenda in the order given: every change on it, each once.</summary>
    public void Reorder(IReadOnlyList<string> changeNumbers, Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "reorder the agenda");
        EnsureOpen();
        var wanted = changeNumbers.Select(n => n.Trim().ToUpperInvariant()).ToList();
        var current = Items;
        var unknown = wanted.Where(n => current.All(i => i.ChangeNumber != n)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new FieldValidationException("changeNumbers", $"Not on the agenda: {string.Join(", ", unknown)}.");
        if (wanted.Count != current.Count || wanted.Distinct().Count() != wanted.Count)
            throw new FieldValidationException("changeNumbers", $"Give every change on the agenda once ({Count(current.Count, "change")}).");
        if (wanted.SequenceEqual(current.Select(i => i.ChangeNumber))) return;
        for (var i = 0; i < wanted.Count; i++) current.Single(x => x.ChangeNumber == wanted[i]).MoveTo(i + 1);
        Audit(actor, now, "reordered the agenda: " + string.Join(", ", wanted));
    }

    /// <summary>
    /// Puts one more change at the end of the agenda of a meeting that is not closed: only a change awaiting the CAB
    /// (<paramref name="awaitsCab"/>, which the caller has read from its approvals), once, and while the agenda has room.
    /// </summary>
    public CabAgendaItem AddItem(CabAgendaEntry entry, bool awaitsCab, Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "edit the agenda");
        EnsureOpen();
        var number = entry.ChangeNumber.Trim().ToUpperInvariant();
        if (_items.Any(i => i.ChangeId == entry.ChangeId || i.ChangeNumber == number))
            throw new BusinessRuleException("cab-item-on-agenda", $"{number} is on the agenda of this meeting already.");
        if (!awaitsCab)
            throw new BusinessRuleException("cab-change-not-awaiting",
                $"{number} does not await the CAB: only a change being authorised with a CAB approval still open goes on the agenda.");
        if (_items.Count >= MaxItems)
            throw new BusinessRuleException("cab-agenda-full", $"An agenda has at most {MaxItems} changes; plan another meeting for the rest.");
        var item = new CabAgendaItem(Id, entry.ChangeId, number, _items.Count + 1, now);
        _items.Add(item);
        Audit(actor, now, $"added {number} to the agenda");
        return item;
    }

    /// <summary>
    /// Takes one change off the agenda of a meeting that is not closed, as long as the board has recorded no decision
    /// on it (a decision is part of the record); the changes after it move up.
    /// </summary>
    public void RemoveItem(string changeNumber, Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "edit the agenda");
        EnsureOpen();
        var item = ItemFor(changeNumber);
        if (item.IsDecided)
            throw new BusinessRuleException("cab-item-decided",
                $"The board's decision on {item.ChangeNumber} is recorded ({item.Decision.Label().ToLowerInvariant()} by {item.DecidedByName}); it stays on the agenda.");
        _items.Remove(item);
        var order = 1;
        foreach (var rest in _items.OrderBy(i => i.Order)) rest.MoveTo(order++);
        Audit(actor, now, $"took {item.ChangeNumber} off the agenda");
    }

    /// <summary>The board sits: decisions may be recorded from now on.</summary>
    public void Start(Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "start CAB meetings");
        EnsureOpen();
        if (State == CabMeetingState.InProgress)
            throw new BusinessRuleException("cab-meeting-in-progress", $"The meeting is in progress since {Display(StartedAt!.Value)}.");
        State = CabMeetingState.InProgress;
        StartedAt = now;
        Audit(actor, now, "started the meeting");
    }

    /// <summary>
    /// Records the board's decision on one agenda item. Only while the meeting sits; a rejection says why; nobody records
    /// the decision on a change they requested or implement (<paramref name="ownChange"/>). Deciding again replaces
    /// the decision and is audited with what it replaced; the same decision with the same notes changes nothing.
    /// </summary>
    public CabDecisionRecorded RecordDecision(string changeNumber, CabDecision decision, string? notes, bool ownChange, Actor actor, DateTimeOffset now)
    {
        if (!MayDecide(actor)) throw new ForbiddenException("Only CAB members and change managers record the board's decisions.");
        EnsureOpen();
        if (State != CabMeetingState.InProgress)
            throw new BusinessRuleException("cab-meeting-not-started", "The meeting has not started: decisions are recorded while the board sits.");
        var item = ItemFor(changeNumber);
        if (ownChange)
            throw new ForbiddenException($"You requested or implement {item.ChangeNumber}; another member of the board records the decision on it.");
        if (decision == CabDecision.None || !Enum.IsDefined(decision))
            throw new FieldValidationException("decision", "The decision is approve, reject or defer.");
        var text = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        if (text is { Length: > NotesMax }) throw new FieldValidationException("notes", $"At most {NotesMax} characters.");
        if (decision == CabDecision.Rejected && text is null)
            throw new FieldValidationException("notes", "Say why the board rejects the change.");

        var (previous, previousNotes, previousBy) = (item.Decision, item.DecisionNotes, item.DecidedByName);
        if (previous == decision && previousNotes == text) return new CabDecisionRecorded(item, previous, previousNotes, false);
        item.Decide(decision, text, actor.UserId, actor.UserName, now);
        var line = $"{item.ChangeNumber}: {decision.Label().ToLowerInvariant()}" + (text is null ? "" : $" ({text})");
        if (previous != CabDecision.None)
            line += $"; re-decided, it was {previous.Label().ToLowerInvariant()} by {previousBy}" + (previousNotes is null ? "" : $" ({previousNotes})");
        Audit(actor, now, line);
        return new CabDecisionRecorded(item, previous, previousNotes, true);
    }

    /// <summary>Replaces the minutes (blank clears them); they may be prepared before the meeting and written during it.</summary>
    public void RecordMinutes(string? minutes, Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "keep the minutes");
        EnsureOpen();
        var text = string.IsNullOrWhiteSpace(minutes) ? null : minutes.Trim();
        if (text is { Length: > MinutesMax }) throw new FieldValidationException("minutes", $"At most {MinutesMax} characters.");
        if (text == Minutes) return;
        var before = Minutes;
        Minutes = text;
        Audit(actor, now, text is null ? "cleared the minutes" : before is null ? "recorded the minutes" : "updated the minutes");
    }

    /// <summary>Ends the meeting; items not decided stay so (they go to a later meeting). Nothing changes afterwards.</summary>
    public void Close(Actor actor, DateTimeOffset now)
    {
        EnsureRunner(actor, "close CAB meetings");
        EnsureOpen();
        if (State != CabMeetingState.InProgress)
            throw new BusinessRuleException("cab-meeting-not-started", "The meeting has not started; start it before closing it.");
        State = CabMeetingState.Closed;
        ClosedAt = now;
        var items = Items;
        int Of(CabDecision d) => items.Count(i => i.Decision == d);
        Audit(actor, now, $"closed the meeting: {Of(CabDecision.Approved)} approved, {Of(CabDecision.Rejected)} rejected, " +
                          $"{Of(CabDecision.Deferred)} deferred, {Of(CabDecision.None)} not decided");
    }

    /// <summary>Guards against lost updates: the caller's version (from the ETag) must still be current.</summary>
    public void EnsureVersion(int? expected)
    {
        if (expected is { } v && v != Version)
            throw new ConcurrencyConflictException($"The meeting was changed by someone else (version {Version}, you had {v}). Reload it and try again.");
    }

    /// <summary>The agenda item of a change, by its number (any spelling); "not found" when it is not on the agenda.</summary>
    public CabAgendaItem ItemFor(string changeNumber)
    {
        var key = (changeNumber ?? "").Trim().ToUpperInvariant();
        return _items.FirstOrDefault(i => i.ChangeNumber == key) ?? throw new NotFoundException($"{Short(key)} on the agenda of this meeting");
    }

    private void EnsureOpen()
    {
        if (State == CabMeetingState.Closed)
            throw new BusinessRuleException("cab-meeting-closed", $"The meeting was closed on {Display(ClosedAt!.Value)}; its record no longer changes.");
    }

    private static void EnsureRunner(Actor actor, string what)
    {
        if (!MayRun(actor)) throw new ForbiddenException($"Only change managers {what}.");
    }

    private void Audit(Actor actor, DateTimeOffset now, string text) => Audit(actor, now, bump: true, text);

    // Writes load the meeting without its log, so the version cannot be derived from the entries.
    private void Audit(Actor actor, DateTimeOffset now, bool bump, string text)
    {
        if (bump) Version++;
        UpdatedAt = now;
        _log.Add(new CabMeetingLogEntry(Id, Version, actor.UserId, actor.UserName, text, now));
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static string Display(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");

    private static string Short(string s) => s.Length > 24 ? s[..24] + "…" : s;
}
