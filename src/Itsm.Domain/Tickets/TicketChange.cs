namespace Itsm.Domain.Tickets;

/// <summary>
/// The audit record of one change to a ticket, append-only: who, when, and every field it changed (old → new), in
/// the order they changed. A change touching several fields (opening a ticket, a transition) is one record, not one
/// per field: the audit reads the same and the ticket's writes stay small.
/// </summary>
public class TicketChange
{
    private List<FieldChange> _fields = [];

    private TicketChange() { }

    public TicketChange(Guid ticketId, int ticketVersion, string actorId, string actorName, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        TicketId = ticketId;
        TicketVersion = ticketVersion;
        ActorId = actorId;
        ActorName = actorName;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid TicketId { get; private set; }
    /// <summary>The ticket's version before this change: the order of its changes, even when their times tie.</summary>
    public int TicketVersion { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public IReadOnlyList<FieldChange> Fields => _fields;

    internal bool IsSameChange(string actorId, DateTimeOffset at) => ActorId == actorId && At == at;

    internal void Add(FieldChange field) => _fields.Add(field);

    /// <summary>This change as field-level history entries.</summary>
    public IEnumerable<TicketHistoryEntry> Entries() =>
        _fields.Select(f => new TicketHistoryEntry(f.Field, f.OldValue, f.NewValue, ActorId, ActorName, At));
}
