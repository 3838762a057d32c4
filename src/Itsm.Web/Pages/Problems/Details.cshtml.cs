using Itsm.Application.Common;
using Itsm.Application.Features.Problems;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Problems;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

using ProblemDetails = Itsm.Application.Features.Problems.ProblemDetails;

namespace Itsm.Web.Pages.Problems;

/// <summary>
/// One problem: the ticket page (transitions, take, comment, worklog, history) plus its root cause and workaround,
/// the known error, and the incidents linked to it. Requesters never see problems.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class DetailsModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user) : TicketPageModel(mediator, processes, user)
{
    private static readonly IReadOnlyDictionary<string, string> RootCauseFields = PageModelExtensions.FieldMap(("rootCause", "rootCause"), ("workaround", "workaround"));
    private static readonly IReadOnlyDictionary<string, string> LinkFields = PageModelExtensions.FieldMap(("incident", "incidentNumber"), ("incidentNumber", "incidentNumber"));
    private static readonly IReadOnlyDictionary<string, string> ResolveFields =
        PageModelExtensions.FieldMap(("resolutionCode", "linkedResolutionCode"), ("resolutionNotes", "linkedResolutionNotes"));

    public ProblemDetails Problem { get; private set; } = null!;
    public override TicketKind Kind => TicketKind.Problem;
    public override TicketDetails Ticket => Problem;
    public override string DetailsPage => "/Problems/Details";
    public override string? EditPage => "/Problems/Edit";
    public override bool MayUpdate => Actor.IsFulfiller && PageRoles.MaySend<UpdateProblem>(Actor);
    public override string RequesterLabel => "Raised by";

    public bool MayRecordRootCause => !IsFinal && PageRoles.MaySend<RecordRootCause>(Actor);
    public bool MayPublish => !IsFinal && PageRoles.MaySend<PublishKnownError>(Actor);
    public bool MayLinkIncidents => !IsFinal && PageRoles.MaySend<LinkIncidentToProblem>(Actor);
    public int OpenIncidentCount => Problem.Incidents.Count(i => i.IsActive);
    /// <summary>The fix is applied and some linked incidents are still open: the desk may resolve them in one step.</summary>
    public bool MayResolveIncidents =>
        Problem.ResolutionCode == ProblemVocabulary.FixApplied && OpenIncidentCount > 0 && PageRoles.MaySend<ResolveLinkedIncidents>(Actor);
    public ProcessDefinition IncidentProcess => Processes.For(TicketKind.Incident);

    /// <summary>After a failed post: what was typed, so the form shows it again with the errors.</summary>
    public string? RootCauseInput { get; private set; }
    public string? WorkaroundInput { get; private set; }
    public bool RootCauseFailed { get; private set; }
    public string? IncidentNumberInput { get; private set; }
    public string? LinkedResolutionCode { get; private set; }
    public string? LinkedResolutionNotes { get; private set; }

    public override string? InitialValue(string field) => field switch
    {
        "rootCause" => Problem.RootCause,
        "workaround" => Problem.Workaround,
        _ => null,
    };

    public Task<IActionResult> OnPostRootCauseAsync(string? rootCause, string? workaround, int? version)
    {
        (RootCauseInput, WorkaroundInput, RootCauseFailed) = (rootCause, workaround, true);
        return this.SendAsync(async () =>
        {
            var done = await Mediator.Send(new RecordRootCause { Number = Number, RootCause = rootCause, Workaround = workaround, ExpectedVersion = version });
            this.SetStatusMessage($"The root cause and workaround of {done.Number} were recorded.");
            return RedirectToPage(DetailsPage, null, new { number = done.Number }, "root-cause");
        }, LoadAsync, RootCauseFields);
    }

    public Task<IActionResult> OnPostPublishAsync(bool publish, int? version) => this.SendAsync(async () =>
    {
        var done = await Mediator.Send(new PublishKnownError(Number, publish, version));
        this.SetStatusMessage(publish ? $"{done.Number} is published as a known error." : $"{done.Number} is no longer a known error.");
        return RedirectToPage(DetailsPage, null, new { number = done.Number }, "root-cause");
    }, LoadAsync);

    public Task<IActionResult> OnPostLinkIncidentAsync(string? incidentNumber)
    {
        IncidentNumberInput = incidentNumber;
        return this.SendAsync(async () =>
        {
            if (TypedNumber(incidentNumber, TicketKind.Incident, "incidentNumber") is not { } key) return await LoadAsync();
            try
            {
                var done = await Mediator.Send(new LinkIncidentToProblem(Number, key));
                this.SetStatusMessage($"{key} is now linked to {done.Number}.");
                return RedirectToPage(DetailsPage, null, new { number = done.Number }, "incidents");
            }
            catch (NotFoundException)
            {
                // The problem was there a moment ago (LoadAsync finds out if not): it is the incident that is missing.
                ModelState.AddModelError("incidentNumber", $"There is no incident {key}.");
                return await LoadAsync();
            }
        }, LoadAsync, LinkFields);
    }

    public Task<IActionResult> OnPostUnlinkIncidentAsync(string? incidentNumber) => this.SendAsync(async () =>
    {
        var done = await Mediator.Send(new LinkIncidentToProblem(Number, incidentNumber ?? "", Link: false));
        this.SetStatusMessage($"{(incidentNumber ?? "").Trim().ToUpperInvariant()} is no longer linked to {done.Number}.");
        return RedirectToPage(DetailsPage, null, new { number = done.Number }, "incidents");
    }, LoadAsync, LinkFields);

    public Task<IActionResult> OnPostResolveIncidentsAsync(string? resolutionCode, string? resolutionNotes)
    {
        (LinkedResolutionCode, LinkedResolutionNotes) = (resolutionCode, resolutionNotes);
        return this.SendAsync(async () =>
        {
            var resolved = await Mediator.Send(new ResolveLinkedIncidents(Number, resolutionCode, resolutionNotes));
            this.SetStatusMessage(resolved.Count == 0 ? "No linked incident was open." : $"Resolved {resolved.Count} linked incident{(resolved.Count == 1 ? "" : "s")}: {string.Join(", ", resolved)}.");
            return RedirectToPage(DetailsPage, null, new { number = Number.Trim().ToUpperInvariant() }, "incidents");
        }, LoadAsync, ResolveFields);
    }

    protected override async Task LoadTicketAsync() => Problem = await Mediator.Send(new GetProblem(Number));
}
