using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// The tickets that name a CI as affected: its open incidents and problems, and its changes, those still to come or
/// under way (soonest first) apart from the past ones (latest first), so the CI page answers "what is being done to it".
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record ListCiTickets(long CiId, int PastChanges = 20) : IRequest<CiTicketsView>;

public sealed record CiTicketsView(long CiId, IReadOnlyList<LinkedTicketView> OpenIncidents, IReadOnlyList<LinkedTicketView> OpenProblems,
    IReadOnlyList<LinkedTicketView> ScheduledChanges, IReadOnlyList<LinkedTicketView> PastChanges, int PastChangeCount);

public sealed class ListCiTicketsHandler(IItsmDbContext db, ICurrentUser user, ICmdbGraph graph, IProcessCatalog processes)
    : IRequestHandler<ListCiTickets, CiTicketsView>
{
    private const int MostOpen = 100;

    public async Task<CiTicketsView> Handle(ListCiTickets r, CancellationToken ct)
    {
        if (graph.Node(r.CiId) is not { } node || !user.Actor.MaySee(node)) throw new Domain.Common.NotFoundException($"CI {r.CiId}");
        var onCi = db.TicketConfigurationItems.Where(x => x.CiId == r.CiId && x.Role == TicketCiRole.Affected).Select(x => x.TicketId);

        var incidents = await OpenAsync(TicketKind.Incident, onCi, ct);
        var problems = await OpenAsync(TicketKind.Problem, onCi, ct);

        var changeProcess = processes.For(TicketKind.Change);
        var final = changeProcess.States.Where(s => s.IsFinal).Select(s => s.Id).ToList();
        var changes = db.Changes.AsNoTracking().Where(c => onCi.Contains(c.Id));
        // A change is past once it is closed or canceled, or its outcome is recorded (it waits only for its review).
        var past = changes.Where(c => final.Contains(c.State) || c.ResolutionCode != null);
        var scheduled = await changes.Where(c => !final.Contains(c.State) && c.ResolutionCode == null)
            .OrderBy(c => c.PlannedStart == null).ThenBy(c => c.PlannedStart).ThenBy(c => c.Number).Take(MostOpen).ToListAsync(ct);
        var pastCount = await past.CountAsync(ct);
        var latest = await past.OrderByDescending(c => c.PlannedEnd ?? c.OpenedAt).ThenByDescending(c => c.Number)
            .Take(Math.Clamp(r.PastChanges, 0, 100)).ToListAsync(ct);
        LinkedTicketView View(Change c) => new(c.Number, "change", c.ShortDescription, c.State, changeProcess.State(c.State).Label, c.Priority,
            c.OpenedAt, c.PlannedStart, c.PlannedEnd, c.Risk is { } risk ? RiskLevelText.Id(risk) : null, c.ResolutionCode);
        return new CiTicketsView(r.CiId, incidents, problems, scheduled.Select(View).ToList(), latest.Select(View).ToList(), pastCount);
    }

    private async Task<List<LinkedTicketView>> OpenAsync(TicketKind kind, IQueryable<Guid> onCi, CancellationToken ct)
    {
        var process = processes.For(kind);
        var open = process.States.Where(s => !s.IsFinal).Select(s => s.Id).ToList();
        var rows = await db.Tickets.AsNoTracking().Where(t => t.Kind == kind && onCi.Contains(t.Id) && open.Contains(t.State))
            .OrderBy(t => t.Priority).ThenByDescending(t => t.OpenedAt).Take(MostOpen)
            .Select(t => new { t.Number, t.ShortDescription, t.State, t.Priority, t.OpenedAt }).ToListAsync(ct);
        var noun = kind == TicketKind.Incident ? "incident" : "problem";
        return rows.Select(t => new LinkedTicketView(t.Number, noun, t.ShortDescription, t.State, process.State(t.State).Label, t.Priority, t.OpenedAt)).ToList();
    }
}
