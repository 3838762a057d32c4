namespace Itsm.Domain.Tickets;

public static class TicketKindExtensions
{
    public static string Prefix(this TicketKind kind) => kind switch
    {
        TicketKind.Incident => "INC",
        TicketKind.Problem => "PRB",
        TicketKind.Change => "CHG",
        TicketKind.Request => "REQ",
        TicketKind.Task => "TASK",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
