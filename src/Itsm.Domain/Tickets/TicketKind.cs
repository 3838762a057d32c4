namespace Itsm.Domain.Tickets;

public enum TicketKind
{
    Incident,
    Problem,
    Change,
    Request,
    Task,
}
