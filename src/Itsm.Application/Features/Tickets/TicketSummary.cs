using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>A row of a queue: the fields every kind of ticket has.</summary>
public sealed class TicketSummary
{
    public string Number { get; set; } = "";
    public string ShortDescription { get; set; } = "";
    public string State { get; set; } = "";
    public string StateLabel { get; set; } = "";
    public Priority Priority { get; set; }
    public Impact Impact { get; set; }
    public Urgency Urgency { get; set; }
    public string? CategoryCode { get; set; }
    public string RequesterName { get; set; } = "";
    public string? AssignmentGroupName { get; set; }
    public string? AssigneeName { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
