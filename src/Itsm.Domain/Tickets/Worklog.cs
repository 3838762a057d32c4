namespace Itsm.Domain.Tickets;

public enum WorklogKind
{
    /// <summary>Visible to the caller.</summary>
    Comment,
    /// <summary>Internal; requesters never see it.</summary>
    WorkNote,
}

public class WorklogEntry
{
    private WorklogEntry() { }

    public WorklogEntry(Guid ticketId, WorklogKind kind, string text, string authorId, string authorName, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        TicketId = ticketId;
        Kind = kind;
        Text = text;
        AuthorId = authorId;
        AuthorName = authorName;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public WorklogKind Kind { get; private set; }
    public string Text { get; private set; } = "";
    public string AuthorId { get; private set; } = "";
    public string AuthorName { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

/// <summary>One field change, append-only: who, when, field, old → new.</summary>
public class TicketHistoryEntry
{
    private TicketHistoryEntry() { }

    public TicketHistoryEntry(Guid ticketId, string field, string? oldValue, string? newValue, string actorId, string actorName, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        TicketId = ticketId;
        Field = field;
        OldValue = oldValue;
        NewValue = newValue;
        ActorId = actorId;
        ActorName = actorName;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    public string Field { get; private set; } = "";
    public string? OldValue { get; private set; }
    public string? NewValue { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}
