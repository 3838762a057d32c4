using System.Globalization;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// The ticket page's CI panel (_TicketCis): affected CIs, impacted services, open incidents on related CIs and, on an
/// incident, its correlation. Only for the people who read the CMDB: a requester's page has none of it.
/// </summary>
public abstract partial class TicketPageModel
{
    public TicketCisView? Cis { get; private set; }
    public IReadOnlyList<RelatedIncidentView> RelatedIncidents { get; private set; } = [];
    public IncidentCorrelationView? Correlation { get; private set; }
    /// <summary>After a failed add: what was typed.</summary>
    public string? CiInput { get; private set; }

    public bool MayWorkCis => Cis is not null && !IsFinal && TicketAccess.WorkerRoles(Kind).Any(Actor.IsInRole) && PageRoles.MaySend<AddAffectedCi>(Actor);
    public bool MayLinkCorrelated => Kind == TicketKind.Incident && !IsFinal && PageRoles.MaySend<LinkCorrelatedIncidents>(Actor);

    private async Task LoadCisAsync()
    {
        if (!Actor.IsFulfiller || !PageRoles.MaySend<ListTicketCis>(Actor)) return;
        Cis = await Mediator.Send(new ListTicketCis(Kind, Number));
        if (Cis.AffectedCis.Count == 0) return;
        RelatedIncidents = await Mediator.Send(new ListIncidentsOnRelatedCis(Kind, Number));
        if (Kind == TicketKind.Incident) Correlation = await Mediator.Send(new CorrelateIncidents(Number));
    }

    /// <summary>Adds an affected CI typed as its id or its exact name.</summary>
    public Task<IActionResult> OnPostAddCiAsync(string? ci)
    {
        CiInput = ci;
        var text = (ci ?? "").Trim();
        var id = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (long?)null;
        return this.SendAsync(async () =>
        {
            await Mediator.Send(new AddAffectedCi(Kind, Number, id, id is null ? text : null));
            this.SetStatusMessage("Affected CI added.");
            return CisRedirect();
        }, LoadAsync, PageModelExtensions.FieldMap(("ci", "ci"), ("ciId", "ci"), ("name", "ci")));
    }

    public Task<IActionResult> OnPostRemoveCiAsync(long ciId) => this.SendAsync(async () =>
    {
        await Mediator.Send(new RemoveAffectedCi(Kind, Number, ciId));
        this.SetStatusMessage("Affected CI removed.");
        return CisRedirect();
    }, LoadAsync);

    public Task<IActionResult> OnPostImpactedServiceAsync(long ciId, bool exclude) => this.SendAsync(async () =>
    {
        if (exclude) await Mediator.Send(new ExcludeImpactedService(Kind, Number, ciId));
        else await Mediator.Send(new IncludeImpactedService(Kind, Number, ciId));
        this.SetStatusMessage(exclude ? "Service excluded from the impacted services." : "Service kept among the impacted services.");
        return CisRedirect();
    }, LoadAsync);

    public Task<IActionResult> OnPostLinkCorrelatedAsync(List<string>? incidents, string? linkAs) => this.SendAsync(async () =>
    {
        var done = await Mediator.Send(new LinkCorrelatedIncidents(Number, incidents ?? [], linkAs));
        if (done.As == LinkCorrelatedIncidents.Problem)
        {
            this.SetStatusMessage($"{done.Number} raised; {string.Join(", ", done.Linked)} linked to it.");
            return RedirectToPage("/Problems/Details", new { number = done.Number });
        }
        this.SetStatusMessage($"{string.Join(", ", done.Linked)} linked under major incident {done.Number}.");
        return CisRedirect();
    }, LoadAsync);

    private RedirectToPageResult CisRedirect() => RedirectToPage(DetailsPage, null, new { number = Number.Trim().ToUpperInvariant() }, "cis");

    /// <summary>A path as a person reads it: "db-01 → used by → Shop".</summary>
    public static string PathText(IReadOnlyList<Application.Features.Cmdb.PathStepView> path) =>
        string.Join(" → ", path.Select((s, i) => i == 0 || s.Phrase is null ? s.Ci.Name : $"{s.Phrase} → {s.Ci.Name}"));
}
