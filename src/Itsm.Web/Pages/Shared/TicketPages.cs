using Itsm.Application.Common;
using Itsm.Application.Features.Reference;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>The pages of one kind of ticket, for shared pages that link between them.</summary>
public sealed record TicketPages(TicketKind Kind, string Noun, string ListPage, string DetailsPage, string? CreatePage, string CreateLabel)
{
    public static readonly TicketPages Incidents = new(TicketKind.Incident, "incidents", "/Incidents/Index", "/Incidents/Details", "/Incidents/Create", "New incident");
    public static readonly TicketPages Problems = new(TicketKind.Problem, "problems", "/Problems/Index", "/Problems/Details", "/Problems/Create", "Raise a problem");
    public static readonly TicketPages Changes = new(TicketKind.Change, "changes", "/Changes/Index", "/Changes/Details", "/Changes/Create", "Raise a change");
}
