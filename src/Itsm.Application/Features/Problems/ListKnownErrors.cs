using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Problems;

/// <summary>The published known errors, newest first, optionally those whose description, root cause or workaround contain the text.</summary>
[AuthorizeRoles]
public sealed record ListKnownErrors(string? Text = null, int Page = 1, int PageSize = 25) : IRequest<Page<KnownErrorItem>>;

public sealed class ListKnownErrorsValidator : IRequestValidator<ListKnownErrors>
{
    public IEnumerable<(string, string)> Validate(ListKnownErrors r)
    {
        if (r.Text is { Length: > 200 }) yield return ("text", "At most 200 characters.");
        if (r.Page < 1) yield return ("page", "Pages start at 1.");
        if (r.PageSize is < 1 or > ListTickets.MaxPageSize) yield return ("pageSize", $"Between 1 and {ListTickets.MaxPageSize}.");
        else if (r.Page > 1 && (long)(r.Page - 1) * r.PageSize > int.MaxValue) yield return ("page", "The page is beyond any possible result.");
    }
}

public sealed class ListKnownErrorsHandler(IItsmDbContext db, ICurrentUser user, IProcessCatalog processes, ITextSearch search)
    : IRequestHandler<ListKnownErrors, Page<KnownErrorItem>>
{
    public async Task<Page<KnownErrorItem>> Handle(ListKnownErrors r, CancellationToken ct)
    {
        var q = db.Problems.AsNoTracking().VisibleTo(TicketKind.Problem, user.Actor).Where(p => p.IsKnownError);
        if (!string.IsNullOrWhiteSpace(r.Text))
        {
            var text = r.Text.Trim();
            q = q.Where(search.Contains<Domain.Problems.Problem>(p => p.ShortDescription, text)
                .Or(search.Contains<Domain.Problems.Problem>(p => p.RootCause!, text))
                .Or(search.Contains<Domain.Problems.Problem>(p => p.Workaround!, text)));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(p => p.KnownErrorAt).ThenByDescending(p => p.Number)
            .Skip((r.Page - 1) * r.PageSize).Take(r.PageSize)
            .Select(p => new
            {
                p.Number, p.ShortDescription, p.RootCause, p.Workaround, p.State, p.KnownErrorAt,
                Linked = db.Incidents.Count(i => i.ProblemId == p.Id),
            }).ToListAsync(ct);
        var process = processes.For(TicketKind.Problem);
        var items = rows.Select(p => new KnownErrorItem(p.Number, p.ShortDescription, p.RootCause ?? "", p.Workaround ?? "", p.State,
            process.State(p.State).Label, p.KnownErrorAt ?? default, p.Linked)).ToList();
        return new Page<KnownErrorItem>(items, total, r.Page, r.PageSize);
    }
}
