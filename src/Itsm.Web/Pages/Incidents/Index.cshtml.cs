using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Application.Features.Reference;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Incidents;

/// <summary>The agent workspace: queues of incidents with filters, sortable columns and paging (a GET form, no script).</summary>
[Authorize(Roles = PageRoles.Fulfillers)]
public sealed class IndexModel(IMediator mediator, IProcessCatalog processes) : PageModel
{
    public const int PageSize = 25;

    public static readonly IReadOnlyList<(string Id, string Label)> Queues =
        [("mine", "My work"), ("my-groups-unassigned", "My groups' unassigned"), ("all-open", "All open"), ("all", "All")];

    public static readonly IReadOnlyList<(string Field, string Label)> SortOptions =
    [
        ("-updated", "Last updated, newest first"), ("updated", "Last updated, oldest first"),
        ("priority", "Priority, highest first"), ("-priority", "Priority, lowest first"),
        ("-opened", "Opened, newest first"), ("opened", "Opened, oldest first"),
        ("-number", "Number, highest first"), ("number", "Number, lowest first"),
        ("state", "State"), ("assignee", "Assigned to"), ("shortDescription", "Short description"),
    ];

    [BindProperty(SupportsGet = true, Name = "queue")]
    public string? Queue { get; set; }

    [BindProperty(SupportsGet = true, Name = "state")]
    public List<string> States { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "priority")]
    public List<int> Priorities { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "group")]
    public Guid? Group { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Text { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public Page<TicketSummary> Results { get; private set; } = new([], 0, 1, PageSize);
    public IReadOnlyList<GroupItem> Groups { get; private set; } = [];
    public ProcessDefinition Process => processes.For(TicketKind.Incident);

    public string CurrentQueue => Queues.Any(q => q.Id == Queue) ? Queue! : "mine";
    public string CurrentSort => string.IsNullOrEmpty(Sort) ? "-updated" : Sort;
    public bool HasFilters => States.Count > 0 || Priorities.Count > 0 || Group is not null;

    /// <summary>Filter errors (an unknown state or sort in a hand-made URL) are shown above the list.</summary>
    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Groups = await mediator.Send(new ListAssignmentGroups());
        Results = await mediator.Send(new ListIncidents
        {
            Queue = CurrentQueue == "all" ? null : CurrentQueue,
            State = States,
            Priority = Priorities,
            AssignmentGroupId = Group,
            Text = string.IsNullOrWhiteSpace(Text) ? null : Text.Trim(),
            Sort = CurrentSort,
            Page = Math.Max(1, PageNumber),
            PageSize = PageSize,
        });
        return Page();
    }, async () =>
    {
        if (Groups.Count == 0) Groups = await mediator.Send(new ListAssignmentGroups());
        return Page();
    });

    /// <summary>This list's URL with some parameters changed (null leaves a parameter as it is).</summary>
    public string Link(string? queue = null, string? sort = null, int? page = null, bool keepFilters = true)
    {
        var query = new List<KeyValuePair<string, string?>> { new("queue", queue ?? CurrentQueue) };
        if (keepFilters)
        {
            query.AddRange(States.Select(s => new KeyValuePair<string, string?>("state", s)));
            query.AddRange(Priorities.Select(p => new KeyValuePair<string, string?>("priority", p.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            if (Group is { } g) query.Add(new("group", g.ToString()));
            if (!string.IsNullOrWhiteSpace(Text)) query.Add(new("q", Text));
            var s = sort ?? Sort;
            if (!string.IsNullOrEmpty(s)) query.Add(new("sort", s));
        }
        if (page is > 1) query.Add(new("p", page.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return Url.Page("/Incidents/Index") + QueryString.Create(query);
    }

    /// <summary>The link of a sortable column header: the first click sorts the natural way, the next one reverses it.</summary>
    public string SortLink(string field, bool descendingFirst = false)
    {
        var current = CurrentSort;
        string next;
        if (current == field) next = "-" + field;
        else if (current == "-" + field) next = field;
        else next = descendingFirst ? "-" + field : field;
        return Link(sort: next);
    }

    /// <summary>aria-sort of a column header: ascending, descending or none.</summary>
    public string? AriaSort(string field) =>
        CurrentSort == field ? "ascending" : CurrentSort == "-" + field ? "descending" : null;

    public IEnumerable<SelectListItem> GroupOptions =>
        new[] { new SelectListItem("Any group", "", Group is null) }
            .Concat(Groups.Select(g => new SelectListItem(g.Name, g.Id.ToString(), g.Id == Group)));

    public IEnumerable<SelectListItem> SortItems =>
        SortOptions.Select(o => new SelectListItem(o.Label, o.Field, o.Field == CurrentSort));

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount, Display.Showing(Results), p => Link(page: p));
}
