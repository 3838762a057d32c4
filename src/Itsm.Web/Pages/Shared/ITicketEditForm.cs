using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>What the _TicketEditFields partial reads.</summary>
public interface ITicketEditForm : ITicketForm
{
    new TicketEditInput Input { get; }
    TicketDetails Ticket { get; }
    IEnumerable<SelectListItem> PriorityOptions { get; }
}
