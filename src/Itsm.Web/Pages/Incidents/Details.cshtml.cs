using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Incidents;

/// <summary>
/// One incident: the ticket page (transitions, take, comment, worklog, history) plus major/child incidents and the
/// problem panel. A requester sees their own tickets here too (others are "not found"), without edit, take, work
/// notes or the problem.
/// </summary>
public sealed class DetailsModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : TicketPageModel(mediator, processes, user)
{
    public IncidentDetails Incident { get; private set; } = null!;
    public override TicketKind Kind => TicketKind.Incident;
    public override TicketDetails Ticket => Incident;
    public override string DetailsPage => "/Incidents/Details";
    public override string? EditPage => "/Incidents/Edit";
    public override bool MayUpdate => Actor.IsFulfiller && PageRoles.MaySend<UpdateIncident>(Actor);
    public bool MayLinkProblem => Actor.IsFulfiller && PageRoles.MaySend<LinkIncidentToProblem>(Actor);
    public bool MayRaiseProblem => Actor.IsFulfiller && PageRoles.MaySend<LogProblem>(Actor);

    /// <summary>After a failed link: what was typed.</summary>
    public string? ProblemNumberInput { get; private set; }

    public Task<IActionResult> OnPostLinkProblemAsync(string? problemNumber)
    {
        ProblemNumberInput = problemNumber;
        return this.SendAsync(async () =>
        {
            if (TypedNumber(problemNumber, TicketKind.Problem, "problemNumber") is not { } key) return await LoadAsync();
            try
            {
                await Mediator.Send(new LinkIncidentToProblem(key, Number));
            }
            catch (NotFoundException)
            {
                if (await IncidentIsGoneAsync()) throw;
                ModelState.AddModelError("problemNumber", $"There is no problem {key}.");
                return await LoadAsync();
            }
            this.SetStatusMessage($"{Number.Trim().ToUpperInvariant()} is now linked to {key}.");
            return RedirectToPage(DetailsPage, null, new { number = Number.Trim().ToUpperInvariant() }, "problem");
        }, LoadAsync);
    }

    /// <summary>Whether "not found" was about the incident itself (then the page's 404), not the problem typed in.</summary>
    private async Task<bool> IncidentIsGoneAsync()
    {
        try
        {
            await Mediator.Send(new GetIncident(Number));
            return false;
        }
        catch (NotFoundException)
        {
            return true;
        }
    }

    public Task<IActionResult> OnPostUnlinkProblemAsync() => this.SendAsync(async () =>
    {
        var current = await Mediator.Send(new GetIncident(Number));
        if (current.Problem is { } problem) await Mediator.Send(new LinkIncidentToProblem(problem.Number, current.Number, Link: false));
        this.SetStatusMessage($"{current.Number} is no longer linked to a problem.");
        return RedirectToPage(DetailsPage, null, new { number = current.Number }, "problem");
    }, LoadAsync);

    protected override async Task LoadTicketAsync() => Incident = await Mediator.Send(new GetIncident(Number));
}
