using Itsm.Application.Features.Tickets;

namespace Itsm.Web.Pages.Shared;

/// <summary>The model of the _LinkedTickets partial: the tickets, the list's accessible name, and what to say when there are none.</summary>
public sealed record LinkedTicketsModel(IReadOnlyList<LinkedTicketView> Tickets, string Label, string WhenEmpty);
