using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Problems;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Problems;

/// <summary>The known errors the service desk searches when a familiar fault comes in: root cause, workaround, linked incidents.</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class KnownErrorsModel(IMediator mediator) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<KnownErrorItem> Results { get; private set; } = new([], 0, 1, PageSize);

    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Results = await mediator.Send(new ListKnownErrors(TicketFormInput.Text(Text), Math.Max(1, PageNumber), PageSize));
        return Page();
    }, () => Task.FromResult<IActionResult>(Page()));

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount, Display.Showing(Results), p =>
        Url.Page("/Problems/KnownErrors") + QueryString.Create(new List<KeyValuePair<string, string?>>
        {
            new("q", TicketFormInput.Text(Text)),
            new("p", p > 1 ? p.ToString(CultureInfo.InvariantCulture) : null),
        }.Where(kv => kv.Value is not null)));
}
