using Itsm.Application.Features.Changes;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// The count of change approvals waiting for the signed-in person, next to "Approvals" in the header (one counting
/// query, no rows). The header is on every page: if the count cannot be read, the page shows no count rather than an error.
/// </summary>
public sealed class PendingApprovalsViewComponent(IMediator mediator, ILogger<PendingApprovalsViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        int? count;
        try
        {
            count = (await mediator.Send(new ListMyApprovals(CountOnly: true), HttpContext.RequestAborted)).Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The pending approvals count for the header could not be read");
            count = null;
        }
        return View(count);
    }
}
