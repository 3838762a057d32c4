namespace Itsm.Domain.Tickets;

public class WorklogEntry
{
    private WorklogEntry() { }

    public WorklogEntry(Guid ticketId, WorklogKind kind, string text, string authorId, string authorName, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
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
