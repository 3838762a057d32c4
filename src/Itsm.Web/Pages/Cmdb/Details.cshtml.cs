using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Web.Api;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Cmdb;

/// <summary>
/// One CI: its attributes (now or as of a time), its relationships both ways as a plain list (also the no-script
/// twin of the graph), the dependency graph, its changeset history and its tickets (open incidents and problems, changes to come and past); Engineers and Admins
/// retire it and add or end relationships here. The graph widget reads its JSON from <see cref="OnGetGraphAsync"/>.
/// </summary>
[Authorize(Roles = CmdbPages.Readers)]
public sealed class DetailsModel(IMediator mediator, ICurrentUser user) : PageModel
{
    public const int HistoryPageSize = 20;
    private static readonly IReadOnlyDictionary<string, string> LinkFields =
        PageModelExtensions.FieldMap(("type", "relation"), ("sourceId", "otherId"), ("targetId", "otherId"), ("reason", "linkReason"));
    private static readonly IReadOnlyDictionary<string, string> RetireFields = PageModelExtensions.FieldMap(("reason", "retireReason"));

    [FromRoute(Name = "id")] public long Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "asOf")] public string? AsOfText { get; set; }
    [BindProperty(SupportsGet = true, Name = "hp")] public int HistoryPage { get; set; } = 1;

    public CiDetails Ci { get; private set; } = null!;
    public IReadOnlyList<CiRelationshipView> Relationships { get; private set; } = [];
    public Page<ChangesetView> History { get; private set; } = new([], 0, 1, HistoryPageSize);
    public CmdbVocabulary Vocabulary { get; private set; } = null!;
    /// <summary>Its open incidents and problems and its changes (null for an as-of view: tickets are shown as they are now).</summary>
    public CiTicketsView? Tickets { get; private set; }
    public DateTimeOffset? AsOf { get; private set; }

    /// <summary>After a failed post: what was typed, so the form shows it again next to its errors.</summary>
    public string? RelationInput { get; private set; }
    public string? OtherIdInput { get; private set; }
    public bool LinkFailed { get; private set; }
    public bool RetireFailed { get; private set; }

    public bool MayWrite => AsOf is null && PageRoles.MaySend<UpdateConfigurationItem>(user.Actor);
    public bool MayRetire => MayWrite && Ci.Status != "Retired";

    /// <summary>Relationships grouped by how they read from this CI: "runs on", "hosts", "depends on", …</summary>
    public IEnumerable<IGrouping<string, CiRelationshipView>> Groups => Relationships.GroupBy(r => r.Phrase);

    public Task<IActionResult> OnGetAsync() => this.LoadAsync(async () =>
    {
        await LoadCiAsync();
        return Page();
    });

    /// <summary>The neighbourhood JSON for the graph widget (the same GetCiGraph the API's /cis/{id}/graph sends).</summary>
    public Task<IActionResult> OnGetGraphAsync() => this.JsonAsync(async () =>
    {
        var q = Query.Of(Request, "handler", "depth", "direction", "types", "classes", "statuses", "limit", "asOf");
        var direction = q.Text("direction") switch
        {
            null or "both" => GraphDirection.Both,
            "out" => GraphDirection.Outgoing,
            "in" => GraphDirection.Incoming,
            var other => q.Fail("direction", $"'{other}' is not a direction: both, out or in.", GraphDirection.Both),
        };
        var request = new GetCiGraph(Id)
        {
            Depth = q.Int("depth", 1), Direction = direction, Types = q.List("types"), Classes = q.List("classes"),
            Statuses = q.List("statuses"), Limit = q.Int("limit", 200), AsOf = q.Time("asOf"),
        };
        q.ThrowIfInvalid();
        return await mediator.Send(request);
    });

    public Task<IActionResult> OnPostRetireAsync(int? version, string? reason)
    {
        RetireFailed = true;
        return this.SendAsync(async () =>
        {
            var ci = await mediator.Send(new RetireConfigurationItem(Id, version, Trimmed(reason)));
            this.SetStatusMessage($"{ci.Name} is retired.");
            return RedirectToPage("/Cmdb/Details", new { id = Id });
        }, ReloadAsync, RetireFields);
    }

    /// <param name="relation">"out:runs-on" (this CI runs on the other) or "in:runs-on" (the other runs on this CI).</param>
    public Task<IActionResult> OnPostLinkAsync(string? relation, string? otherId, string? linkReason)
    {
        (RelationInput, OtherIdInput, LinkFailed) = (relation, otherId, true);
        return this.SendAsync(async () =>
        {
            var parts = (relation ?? "").Split(':', 2);
            if (parts.Length != 2 || parts[0] is not ("out" or "in")) ModelState.AddModelError("relation", "Choose how the CIs are related.");
            if (!long.TryParse(otherId?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var other) || other <= 0)
                ModelState.AddModelError("otherId", "Give the other CI's id (a positive whole number, shown on its page).");
            if (!ModelState.IsValid) return await ReloadAsync();
            var outgoing = parts[0] == "out";
            var done = await mediator.Send(outgoing
                ? new LinkConfigurationItems(Id, parts[1], other, Trimmed(linkReason))
                : new LinkConfigurationItems(other, parts[1], Id, Trimmed(linkReason)));
            this.SetStatusMessage($"{done.Source.Name} {done.Name} {done.Target.Name}: recorded.");
            return RedirectToPage("/Cmdb/Details", null, new { id = Id }, "relationships");
        }, ReloadAsync, LinkFields);
    }

    public Task<IActionResult> OnPostUnlinkAsync(long relationshipId) => this.SendAsync(async () =>
    {
        // Only this CI's own relationships are ended from its page (a guessed id of another pair is refused).
        await LoadCiAsync();
        if (Relationships.All(r => r.Id != relationshipId)) return this.NotFoundPage();
        var done = await mediator.Send(new DeleteRelationship(relationshipId));
        this.SetStatusMessage($"{done.Source.Name} no longer {done.Name} {done.Target.Name}.");
        return RedirectToPage("/Cmdb/Details", null, new { id = Id }, "relationships");
    }, ReloadAsync);

    private async Task<IActionResult> ReloadAsync()
    {
        AsOfText = null;
        await LoadCiAsync();
        return Page();
    }

    private async Task LoadCiAsync()
    {
        if (!string.IsNullOrWhiteSpace(AsOfText))
        {
            if (DateTimeOffset.TryParse(AsOfText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) AsOf = t.ToUniversalTime();
            else ModelState.AddModelError("asOf", "The time is not valid (e.g. 2026-11-01T00:00:00Z); the CI is shown as it is now.");
        }
        Ci = await mediator.Send(new GetConfigurationItem(Id, AsOf));
        Relationships = await mediator.Send(new ListCiRelationships(Id, AsOf));
        History = await mediator.Send(new ListCmdbChangesets { CiId = Id, Page = Math.Max(1, HistoryPage), PageSize = HistoryPageSize });
        Vocabulary = await mediator.Send(new ListCiClasses());
        Tickets = AsOf is null ? await mediator.Send(new ListCiTickets(Id)) : null;
    }

    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public string GraphUrl => Url.Page("/Cmdb/Details", "Graph", new { id = Id, asOf = AsOf is { } t ? Display.Iso(t) : null })!;

    /// <summary>The expand URL of any CI: the page route with an {id} the widget fills in.</summary>
    public string ExpandUrlTemplate => (Url.Page("/Cmdb/Details", "Graph", new { id = 0L })!).Replace("/0?", "/{id}?", StringComparison.Ordinal)
        + (AsOf is { } t ? "&asOf=" + Uri.EscapeDataString(Display.Iso(t)) : "");

    public CmdbGraphModel Graph => new(GraphUrl, ExpandUrlTemplate, null, $"Dependency graph of {Ci.Name} and its neighbours");

    /// <summary>Relationship types this CI's class may take part in, as "this CI &lt;phrase&gt; …" options.</summary>
    public IEnumerable<SelectListItem> RelationItems()
    {
        var chain = Chain(Ci.Class).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Fits(IReadOnlyList<string> ends) => ends.Any(e => e == "any" || chain.Contains(e));
        yield return new SelectListItem("— choose —", "", string.IsNullOrEmpty(RelationInput));
        foreach (var t in Vocabulary.RelationshipTypes)
        {
            if (Fits(t.Sources)) yield return Option($"out:{t.Code}", $"{Ci.Name} {t.Name} …");
            if (Fits(t.Targets)) yield return Option($"in:{t.Code}", $"{Ci.Name} {t.Inverse} …");
        }
        SelectListItem Option(string value, string text) => new(text, value, value == RelationInput);
    }

    private IEnumerable<string> Chain(string? code)
    {
        for (var c = Vocabulary.Classes.FirstOrDefault(x => x.Code == code); c is not null; c = Vocabulary.Classes.FirstOrDefault(x => x.Code == c.Parent))
            yield return c.Code;
    }

    public string HistoryLink(int page) =>
        Url.Page("/Cmdb/Details", null, new { id = Id, asOf = AsOfText, hp = page > 1 ? page : (int?)null }, null, null, "history")!;

    public PagerModel HistoryPager => new(History.PageNumber, History.PageCount, CmdbPages.Showing(History, "changesets"), HistoryLink);
}
