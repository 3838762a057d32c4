using Itsm.Application.Common;
using Itsm.Application.Features.Changes;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Changes;

/// <summary>
/// One change: the ticket page (transitions, take, CIs, comment, worklog, history) plus its plan, the assessment computed
/// now (risk with every reason, conflicts, the approvers the policy picks and why, the blast radius with its paths) and
/// its approvals, with an approve / reject form for each approval the viewer may decide. Requesters never see changes.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class DetailsModel(IMediator mediator, IProcessCatalog processes, ICurrentUser user, StandardChangeCatalog catalog, RiskModel risk)
    : TicketPageModel(mediator, processes, user)
{
    public ChangeDetails Change { get; private set; } = null!;
    public ChangeAssessmentView Assessment { get; private set; } = null!;
    public ChangeApprovalsView Approvals { get; private set; } = null!;
    /// <summary>The latest CMDB writes that name this change.</summary>
    public Page<ChangesetView> Changesets { get; private set; } = new([], 0, 1, ChangesetsShown);
    private const int ChangesetsShown = 20;
    public override TicketKind Kind => TicketKind.Change;
    public override TicketDetails Ticket => Change;
    public override string DetailsPage => "/Changes/Details";
    public override string? EditPage => "/Changes/Edit";
    public override bool MayUpdate => TicketAccess.WorkerRoles(Kind).Any(Actor.IsInRole) && PageRoles.MaySend<UpdateChange>(Actor);
    public override string RequesterLabel => "Raised by";

    public StandardChangeTemplate? Template => catalog.Find(Change.TemplateCode);

    /// <summary>The questionnaire's answers as people read them: question text → answer label.</summary>
    public IReadOnlyList<(string Question, string Answer)> Answers => risk.Questions
        .Where(q => Change.RiskAnswers.ContainsKey(q.Id))
        .Select(q => (q.Text, q.Answers.FirstOrDefault(a => a.Id == Change.RiskAnswers[q.Id])?.Label ?? Change.RiskAnswers[q.Id]))
        .ToList();

    /// <summary>After a failed decision: which approval, and the comment typed, so its form shows them with the error.</summary>
    public Guid? FailedApproval { get; private set; }
    public string? DecisionComment { get; private set; }

    public Task<IActionResult> OnPostDecideAsync(Guid approvalId, string? decision, string? comment, int? version)
    {
        (FailedApproval, DecisionComment) = (approvalId, comment);
        return this.SendAsync(async () =>
        {
            this.SetStatusMessage(await ChangePages.DecideAsync(Mediator, Number, approvalId, decision, comment, version));
            return RedirectToPage(DetailsPage, null, new { number = Number.Trim().ToUpperInvariant() }, "approvals");
        }, LoadAsync, ChangePages.DecisionFields);
    }

    protected override async Task LoadTicketAsync()
    {
        Change = await Mediator.Send(new GetChange(Number));
        Assessment = await Mediator.Send(new GetChangeAssessment(Change.Number));
        Approvals = await Mediator.Send(new GetChangeApprovals(Change.Number));
        Changesets = await Mediator.Send(new ListCmdbChangesets { ChangeNumber = Change.Number, PageSize = ChangesetsShown });
    }
}
