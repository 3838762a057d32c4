using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>The CMDB browser: search CIs by name, class (with its subclasses), status and environment; a paged list.</summary>
[Authorize(Roles = CmdbPages.Readers)]
public sealed class IndexModel(IMediator mediator, ICurrentUser user) : PageModel
{
    public const int PageSize = 50;
    private static readonly IReadOnlyDictionary<string, string> Fields =
        PageModelExtensions.FieldMap(("name", "q"), ("class", "class"), ("status", "status"), ("environment", "environment"));

    [BindProperty(SupportsGet = true, Name = "q")] public string? Text { get; set; }
    [BindProperty(SupportsGet = true, Name = "class")] public string? Class { get; set; }
    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "environment")] public string? Environment { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public CmdbVocabulary Vocabulary { get; private set; } = null!;
    public Page<CiSummary> Results { get; private set; } = new([], 0, 1, PageSize);
    public bool MayRegister => PageRoles.MaySend<RegisterConfigurationItem>(user.Actor);
    public bool HasFilters => !string.IsNullOrEmpty(Class) || !string.IsNullOrEmpty(Status) || !string.IsNullOrEmpty(Environment);

    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Vocabulary = await mediator.Send(new ListCiClasses());
        Results = await mediator.Send(new ListConfigurationItems
        {
            Name = Blank(Text), Class = Blank(Class), Status = Blank(Status), Environment = Blank(Environment),
            Page = Math.Max(1, PageNumber), PageSize = PageSize,
        });
        return Page();
    }, async () =>
    {
        Vocabulary ??= await mediator.Send(new ListCiClasses());
        return Page();
    }, Fields);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public IEnumerable<SelectListItem> ClassItems => CmdbPages.ClassOptions(Vocabulary.Classes, Class, "Any class", concreteOnly: false);
    public IEnumerable<SelectListItem> StatusItems =>
        new[] { new SelectListItem("Any status", "", string.IsNullOrEmpty(Status)) }
            .Concat(Vocabulary.Statuses.Select(s => new SelectListItem(s, s, string.Equals(s, Status, StringComparison.OrdinalIgnoreCase))));
    public IEnumerable<SelectListItem> EnvironmentItems =>
        new[] { new SelectListItem("Any environment", "", string.IsNullOrEmpty(Environment)) }
            .Concat(Vocabulary.Environments.Select(e => new SelectListItem(e, e, string.Equals(e, Environment, StringComparison.OrdinalIgnoreCase))));

    public string Link(int page)
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (!string.IsNullOrWhiteSpace(Text)) query.Add(new("q", Text));
        if (!string.IsNullOrWhiteSpace(Class)) query.Add(new("class", Class));
        if (!string.IsNullOrWhiteSpace(Status)) query.Add(new("status", Status));
        if (!string.IsNullOrWhiteSpace(Environment)) query.Add(new("environment", Environment));
        if (page > 1) query.Add(new("p", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Url.Page("/Cmdb/Index") + QueryString.Create(query);
    }

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount, CmdbPages.Showing(Results, "CIs"), Link);
}
