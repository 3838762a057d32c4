using Itsm.Application.Features.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Web.Pages.Changes;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Approvals;

/// <summary>
/// The approver's delegations: who may decide their approvals (and their groups') for a period, e.g. while on leave,
/// the delegations they have been given, a form to delegate and a button to end each of their own now. Times are UTC.
/// </summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class DelegationsModel(IMediator mediator) : PageModel
{
    public const string PagePath = "/Approvals/Delegations";

    // The handler names the delegate "to" (the user name) and the domain "toUserId" (the person found): both are the one input.
    private static readonly IReadOnlyDictionary<string, string> Fields = PageModelExtensions.FieldMap(
        ("to", "Input.To"), ("toUserId", "Input.To"), ("starts", "Input.Starts"), ("ends", "Input.Ends"));

    [BindProperty] public DelegationInput Input { get; set; } = new();

    public DelegationsView Delegations { get; private set; } = new([], []);

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(LoadAsync);

    public Task<IActionResult> OnPostDelegateAsync() => this.SendAsync(async () =>
    {
        var ends = ChangePages.Utc(Input.Ends);
        var view = await mediator.Send(new DelegateApprovals(Input.To?.Trim(), ChangePages.Utc(Input.Starts), ends));
        var to = view.Given.LastOrDefault(d => d.Ends == ends)?.ToUserName ?? Input.To?.Trim();
        this.SetStatusMessage($"{to} may decide your approvals until {Display.When(ends!.Value)}.");
        return RedirectToPage(PagePath);
    }, LoadAsync, Fields);

    public Task<IActionResult> OnPostRevokeAsync(Guid id) => this.SendAsync(async () =>
    {
        var before = await mediator.Send(new ListApprovalDelegations());
        await mediator.Send(new RevokeApprovalDelegation(id));
        var to = before.Given.FirstOrDefault(d => d.Id == id)?.ToUserName;
        this.SetStatusMessage(to is null ? "The delegation is ended." : $"The delegation to {to} is ended: they no longer decide your approvals.");
        return RedirectToPage(PagePath);
    }, LoadAsync);

    private async Task<IActionResult> LoadAsync()
    {
        Delegations = await mediator.Send(new ListApprovalDelegations());
        return Page();
    }

    public static int MaxDays => ApprovalDelegation.MaxDays;

    /// <summary>The delegate form: a user name and datetime-local values read as UTC; a blank start is "now".</summary>
    public sealed class DelegationInput
    {
        public string? To { get; set; }
        public DateTime? Starts { get; set; }
        public DateTime? Ends { get; set; }
    }
}
