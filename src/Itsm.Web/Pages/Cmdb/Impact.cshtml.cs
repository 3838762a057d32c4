using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>
/// Impact analysis: choose the CIs that are down or changing (by search or id; ?ci= from a CI page), see the business
/// services impacted with the path that explains each, the other impacted CIs paged, and the start CI's graph with
/// the impacted ones highlighted. One GET form: it works without script and the result can be bookmarked.
/// </summary>
[Authorize(Roles = CmdbPages.Readers)]
public sealed class ImpactModel(IMediator mediator) : PageModel
{
    public const int PageSize = 50;
    public const int MaxChosen = 50;
    private static readonly IReadOnlyDictionary<string, string> Fields =
        PageModelExtensions.FieldMap(("ciIds", "ci"), ("depth", "depth"), ("name", "q"), ("page", "p"));

    [BindProperty(SupportsGet = true, Name = "ci")] public List<long> CiIds { get; set; } = [];
    [BindProperty(SupportsGet = true, Name = "q")] public string? Search { get; set; }
    [BindProperty(SupportsGet = true, Name = "depth")] public int Depth { get; set; } = GraphQueries.DefaultDepth;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public ImpactView? Result { get; private set; }
    public IReadOnlyList<CiSummary> Found { get; private set; } = [];
    public bool Searched { get; private set; }

    /// <summary>The chosen CIs with their names once known (the analysis names them).</summary>
    public IReadOnlyList<CiSummary> Chosen => Chosen_();

    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        CiIds = CiIds.Where(id => id > 0).Distinct().Take(MaxChosen).ToList();
        await SearchAsync();
        if (CiIds.Count > 0)
            Result = await mediator.Send(new AnalyseImpact(CiIds) { Depth = Depth, Page = Math.Max(1, PageNumber), PageSize = PageSize });
        return Page();
    }, async () =>
    {
        if (!Searched) await SearchAsync();
        return Page();
    }, Fields);

    /// <summary>The impact as JSON for the graph widget's highlight (the same AnalyseImpact the API's POST /impact sends).</summary>
    public Task<IActionResult> OnGetHighlightAsync() => this.JsonAsync(async () =>
    {
        if (!ModelState.IsValid) throw new Domain.Common.FieldValidationException("ci", "Give CI ids and a depth as whole numbers.");
        if (CiIds.Count > AnalyseImpact.MaxStart) throw new Domain.Common.FieldValidationException("ci", $"At most {AnalyseImpact.MaxStart} CIs.");
        return await mediator.Send(new AnalyseImpact(CiIds.Distinct().ToList()) { Depth = Depth, PageSize = 1000 });
    });

    private async Task SearchAsync()
    {
        Searched = true;
        var text = Search?.Trim();
        if (string.IsNullOrEmpty(text)) return;
        // An id finds that CI; anything else searches names.
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            try
            {
                var ci = await mediator.Send(new GetConfigurationItem(id));
                Found = [new CiSummary(ci.Id, ci.Name, ci.Class, ci.ClassName, ci.Status, ci.Criticality, ci.Restricted)];
            }
            catch (Domain.Common.NotFoundException)
            {
                ModelState.AddModelError("q", $"There is no CI {id}.");
            }
            return;
        }
        Found = (await mediator.Send(new ListConfigurationItems { Name = text, PageSize = 20 })).Items.Where(c => !CiIds.Contains(c.Id)).ToList();
    }

    private List<CiSummary> Chosen_()
    {
        var named = (Result?.Start ?? []).ToDictionary(c => c.Id);
        return CiIds.Select(id => named.GetValueOrDefault(id) ?? new CiSummary(id, $"CI {id}", null, null, null, null, false)).ToList();
    }

    /// <summary>The redundancy counts of the impacted CIs that have a rule ("2 of 3 members impacted (needs 2 up)").</summary>
    public IReadOnlyDictionary<long, string> Redundancies => (Result?.Services ?? []).Concat(Result?.Impacted ?? [])
        .Where(i => i.Redundancy is not null).GroupBy(i => i.Ci.Id).ToDictionary(g => g.Key, g => g.First().Redundancy!);

    public CmdbGraphModel? Graph
    {
        get
        {
            if (Result is null || CiIds.Count == 0) return null;
            var start = CiIds[0];
            var graph = Url.Page("/Cmdb/Details", "Graph", new { id = start })!;
            var expand = Url.Page("/Cmdb/Details", "Graph", new { id = 0L })!.Replace("/0?", "/{id}?", StringComparison.Ordinal);
            // Url.Page already put "?handler=Highlight" on it: the CIs follow with "&".
            var highlight = Url.Page("/Cmdb/Impact", "Highlight") + "&" + QueryString.Create(
                CiIds.Select(i => new KeyValuePair<string, string?>("ci", i.ToString(CultureInfo.InvariantCulture)))
                    .Append(new("depth", Depth.ToString(CultureInfo.InvariantCulture)))).Value![1..];
            return new CmdbGraphModel(graph, expand, highlight, "Dependency graph of the first chosen CI, impacted CIs highlighted");
        }
    }

    public string Link(int page) => Url.Page("/Cmdb/Impact") + QueryString.Create(
        CiIds.Select(i => new KeyValuePair<string, string?>("ci", i.ToString(CultureInfo.InvariantCulture)))
            .Append(new("depth", Depth.ToString(CultureInfo.InvariantCulture)))
            .Concat(page > 1 ? [new KeyValuePair<string, string?>("p", page.ToString(CultureInfo.InvariantCulture))] : []))
        + "#impacted";

    public PagerModel? Pager => Result is { } r
        ? new(r.PageNumber, Math.Max(1, (int)Math.Ceiling((r.TotalImpacted - r.HiddenImpacted) / (double)r.PageSize)),
            $"{r.TotalImpacted - r.HiddenImpacted} impacted CIs you may see", Link)
        : null;
}
