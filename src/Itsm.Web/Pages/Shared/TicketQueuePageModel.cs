using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Reference;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Itsm.Web.Pages.Shared;

/// <summary>
/// A queue page of one kind of ticket (shown by the _TicketQueue partial): preset queues, filters, sortable columns
/// and paging in a GET form, no script. A module's page names its kind, list page and list request.
/// </summary>
public abstract class TicketQueuePageModel(TicketPages pages, IMediator mediator, IProcessCatalog processes, ICurrentUser user) : PageModel
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

    /// <summary>Which kind this queue lists, and its pages.</summary>
    public TicketPages Pages => pages;
    public TicketKind Kind => pages.Kind;
    public string DetailsPage => pages.DetailsPage;
    public string Noun => pages.Noun;
    public string Heading => char.ToUpperInvariant(Noun[0]) + Noun[1..];
    /// <summary>Whether the viewer may log a ticket of this kind (the button to its create page).</summary>
    public virtual bool MayCreate => true;
    /// <summary>Other pages of the module the viewer may open, shown in one line under the heading.</summary>
    public virtual IReadOnlyList<(string Label, string Href)> RelatedLinks => [];

    /// <summary>The module's list request, empty: the page fills in the criteria.</summary>
    protected abstract ListTickets NewQuery();
    protected abstract Task<Page<TicketSummary>> SendAsync(ListTickets query);

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
    public ProcessDefinition Process => processes.For(Kind);
    protected IMediator Mediator => mediator;
    public Actor Actor => user.Actor;

    public string CurrentQueue => Queues.Any(q => q.Id == Queue) ? Queue! : "mine";
    public string CurrentQueueLabel => Queues.First(q => q.Id == CurrentQueue).Label;
    public string CurrentSort => string.IsNullOrEmpty(Sort) ? "-updated" : Sort;
    public bool HasFilters => States.Count > 0 || Priorities.Count > 0 || Group is not null;

    /// <summary>Filter errors (an unknown state or sort in a hand-made URL) are shown above the list.</summary>
    public Task<IActionResult> OnGetAsync() => this.SendAsync(async () =>
    {
        Groups = await mediator.Send(new ListAssignmentGroups());
        // A with-expression on the base record keeps the module's request type.
        Results = await SendAsync(NewQuery() with
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
            query.AddRange(Priorities.Select(p => new KeyValuePair<string, string?>("priority", p.ToString(CultureInfo.InvariantCulture))));
            if (Group is { } g) query.Add(new("group", g.ToString()));
            if (!string.IsNullOrWhiteSpace(Text)) query.Add(new("q", Text));
            var s = sort ?? Sort;
            if (!string.IsNullOrEmpty(s)) query.Add(new("sort", s));
        }
        if (page is > 1) query.Add(new("p", page.Value.ToString(CultureInfo.InvariantCulture)));
        return Url.Page(pages.ListPage) + QueryString.Create(query);
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

    public IEnumerable<SelectListItem> GroupOptions => FormOptions.Groups(Groups, Group, "Any group");

    public IEnumerable<SelectListItem> SortItems =>
        SortOptions.Select(o => new SelectListItem(o.Label, o.Field, o.Field == CurrentSort));

    public PagerModel Pager => new(Results.PageNumber, Results.PageCount, Display.Showing(Results), p => Link(page: p));
}

/// <summary>The queue page of the kind whose list request is <typeparamref name="TQuery"/>.</summary>
public abstract class TicketQueuePageModel<TQuery>(TicketPages pages, IMediator mediator, IProcessCatalog processes, ICurrentUser user)
    : TicketQueuePageModel(pages, mediator, processes, user)
    where TQuery : ListTickets, IRequest<Page<TicketSummary>>, new()
{
    protected override ListTickets NewQuery() => new TQuery();
    protected override Task<Page<TicketSummary>> SendAsync(ListTickets query) => Mediator.Send((TQuery)query);
}
