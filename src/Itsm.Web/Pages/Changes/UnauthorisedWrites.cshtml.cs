using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Web.Pages.Cmdb;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Changes;

/// <summary>
/// The change manager's list of unauthorised CMDB writes: changesets no approved change covered (none named, or the
/// named one not being implemented by the writer inside its window), newest first, each with the reason.
/// </summary>
[Authorize(Roles = Readers)]
public sealed class UnauthorisedWritesModel(IMediator mediator) : PageModel
{
    public const string PagePath = "/Changes/UnauthorisedWrites";
    public const string Readers = "ChangeManager,Admin";
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Page<ChangesetView> Writes { get; private set; } = new([], 0, 1, PageSize);

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        Writes = await mediator.Send(new ListCmdbChangesets { Unauthorised = true, Page = Math.Max(1, PageNumber), PageSize = PageSize });
        return Page();
    });

    public PagerModel Pager => new(Writes.PageNumber, Writes.PageCount, CmdbPages.Showing(Writes, "unauthorised writes"),
        p => Url.Page("/Changes/UnauthorisedWrites", new { page = p > 1 ? p : (int?)null })!);
}
