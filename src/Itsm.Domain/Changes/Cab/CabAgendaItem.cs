namespace Itsm.Domain.Changes.Cab;

/// <summary>What the Change Advisory Board decided about one change on its agenda.</summary>
public enum CabDecision
{
    /// <summary>Not discussed yet, or not decided before the meeting closed (it goes to a later meeting).</summary>
    None = 0,
    Approved = 1,
    /// <summary>Rejected; the notes say why.</summary>
    Rejected = 2,
    /// <summary>Postponed to a later meeting (more information needed, wrong time); the change's approvals wait.</summary>
    Deferred = 3,
}

/// <summary>Ids and labels of <see cref="CabDecision"/> as the API and the pages write them.</summary>
public static class CabDecisionText
{
    public static string Id(this CabDecision decision) => decision switch
    {
        CabDecision.Approved => "approved",
        CabDecision.Rejected => "rejected",
        CabDecision.Deferred => "deferred",
        _ => "none",
    };

    public static string Label(this CabDecision decision) => decision switch
    {
        CabDecision.Approved => "Approved",
        CabDecision.Rejected => "Rejected",
        CabDecision.Deferred => "Deferred",
        _ => "Not decided",
    };

    /// <summary>The verb a person or client sends (approve, reject, defer) or the past form; null for anything else.</summary>
    public static CabDecision? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "approve" or "approved" => CabDecision.Approved,
        "reject" or "rejected" => CabDecision.Rejected,
        "defer" or "deferred" => CabDecision.Deferred,
        _ => null,
    };
}

/// <summary>
/// One change on a CAB meeting's agenda, in its place (<see cref="Order"/>, from 1), with the board's decision and who
/// recorded it. Created and moved only by <see cref="CabMeeting"/>.
/// </summary>
public class CabAgendaItem
{
    private CabAgendaItem() { }

    internal CabAgendaItem(Guid meetingId, Guid changeId, string changeNumber, int order, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7(now);
        MeetingId = meetingId;
        ChangeId = changeId;
        ChangeNumber = changeNumber;
        Order = order;
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    public Guid ChangeId { get; private set; }
    /// <summary>Kept with the item so the agenda reads without the change (and the API addresses items by it).</summary>
    public string ChangeNumber { get; private set; } = "";
    public int Order { get; private set; }
    public CabDecision Decision { get; private set; }
    public string? DecisionNotes { get; private set; }
    public string? DecidedById { get; private set; }
    public string? DecidedByName { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsDecided => Decision != CabDecision.None;

    internal void MoveTo(int order) => Order = order;

    internal void Decide(CabDecision decision, string? notes, string byId, string byName, DateTimeOffset now)
    {
        Decision = decision;
        DecisionNotes = notes;
        DecidedById = byId;
        DecidedByName = byName;
        DecidedAt = now;
    }
}

/// <summary>One line of a CAB meeting's audit: who did what, when (planned, reordered, started, decided, re-decided, minutes, closed).</summary>
public class CabMeetingLogEntry
{
    public const int TextMax = 4000;

    private CabMeetingLogEntry() { }

    internal CabMeetingLogEntry(Guid meetingId, int meetingVersion, string actorId, string actorName, string text, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        MeetingId = meetingId;
        MeetingVersion = meetingVersion;
        ActorId = actorId;
        ActorName = actorName;
        Text = text.Length > TextMax ? text[..(TextMax - 1)] + "…" : text;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid MeetingId { get; private set; }
    /// <summary>The meeting's version this entry made: the order of the entries, even when their times tie.</summary>
    public int MeetingVersion { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}
