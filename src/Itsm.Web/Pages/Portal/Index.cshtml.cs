using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Portal;

/// <summary>"My tickets": the incidents the signed-in person reported (or were logged for them), newest first.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<TicketSummary> Results { get; private set; } = new([], 0, 1, PageSize);

    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Results = await mediator.Send(new ListIncidents { Requester = "me", Sort = "-opened", Page = Math.Max(1, PageNumber), PageSize = PageSize });
        return Page();
    }, () => Task.FromResult<IActionResult>(Page()));

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount, Display.Showing(Results),
        p => Url.Page("/Portal/Index") + (p > 1 ? "?p=" + p.ToString(CultureInfo.InvariantCulture) : ""));
}
