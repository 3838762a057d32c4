using Itsm.Application.Features.Changes;
using Itsm.Web.Pages.Changes;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Approvals;

/// <summary>
/// The approvals inbox: the change approvals waiting for the signed-in person (theirs, their groups', those delegated
/// to them), oldest first, each with what the approver needs to decide and an approve / reject form right there.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const string PagePath = "/Approvals/Index";

    public ApprovalInbox Inbox { get; private set; } = new(0, []);

    /// <summary>After a failed decision: which approval, and the comment typed, so its form shows them with the error.</summary>
    public Guid? FailedApproval { get; private set; }
    public string? DecisionComment { get; private set; }

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    public Task<IActionResult> OnPostDecideAsync(string? number, Guid approvalId, string? decision, string? comment, int? version)
    {
        (FailedApproval, DecisionComment) = (approvalId, comment);
        return this.SendAsync(async () =>
        {
            this.SetStatusMessage(await ChangePages.DecideAsync(mediator, number ?? "", approvalId, decision, comment, version));
            return RedirectToPage(PagePath);
        }, LoadAsync, ChangePages.DecisionFields);
    }

    private async Task<IActionResult> LoadAsync()
    {
        Inbox = await mediator.Send(new ListMyApprovals());
        return Page();
    }
}
