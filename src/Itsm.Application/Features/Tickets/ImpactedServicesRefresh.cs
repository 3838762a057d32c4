using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// Recomputes the computed impacted services of every open incident, problem and change with affected CIs, after the
/// graph changed (run by the scheduler when <see cref="ICmdbGraph.Version"/> moves). Rows people included or excluded
/// stay as they are. Derived data only: the tickets themselves (version, history) are not touched, so nobody's edit in
/// progress is refused because the graph moved; except a change being authorised whose approvers the new graph changes
/// (new owners are asked, and its history says why). One query finds the tickets; each batch commits on its own.
/// </summary>
public sealed record RefreshImpactedServices(int BatchSize = 200) : IRequest<ImpactedServicesRefreshed>;

/// <summary>How many tickets were looked at, and how many had their impacted services changed.</summary>
public sealed record ImpactedServicesRefreshed(int Tickets, int Changed);

public sealed class RefreshImpactedServicesHandler(IItsmDbContext db, IUnitOfWork unitOfWork, IClock clock, IProcessCatalog processes, ICmdbGraph graph, CmdbModel model,
    IServiceProvider services)
    : IRequestHandler<RefreshImpactedServices, ImpactedServicesRefreshed>
{
    public async Task<ImpactedServicesRefreshed> Handle(RefreshImpactedServices r, CancellationToken ct)
    {
        var openIncidents = OpenStates(TicketKind.Incident);
        var openProblems = OpenStates(TicketKind.Problem);
        var openChanges = OpenStates(TicketKind.Change);
        var ids = await db.Tickets.AsNoTracking()
            .Where(t => (t.Kind == TicketKind.Incident && openIncidents.Contains(t.State)) || (t.Kind == TicketKind.Problem && openProblems.Contains(t.State))
                        || (t.Kind == TicketKind.Change && openChanges.Contains(t.State)))
            .Where(t => db.TicketConfigurationItems.Any(x => x.TicketId == t.Id && x.Role == TicketCiRole.Affected))
            .Select(t => t.Id).ToListAsync(ct);
        var changed = 0;
        foreach (var batch in ids.Chunk(Math.Clamp(r.BatchSize, 1, 1000)))
            changed += await unitOfWork.RunAsync(async ct =>
            {
                var now = clock.UtcNow;
                var rows = await db.TicketConfigurationItems.Where(x => batch.Contains(x.TicketId)).ToListAsync(ct);
                var count = 0;
                foreach (var ticket in rows.GroupBy(x => x.TicketId).Select(g => (Id: g.Key, Rows: g.ToList())))
                {
                    var affected = ticket.Rows.Where(x => x.Role == TicketCiRole.Affected).Select(x => x.CiId).ToList();
                    var (added, removed) = ImpactedServices.Apply(db, ticket.Id, ticket.Rows, ImpactedServices.Compute(graph, model, affected), now);
                    if (added.Count + removed.Count > 0) count++;
                }
                // Changes being authorised: the graph may have new owners to ask (approvals given stay).
                var authorizing = await db.Changes.Where(c => batch.Contains(c.Id) && c.State == Domain.Changes.Change.AuthorizeState).ToListAsync(ct);
                if (authorizing.Count > 0)
                {
                    var approvals = services.GetRequiredService<Features.Changes.ChangeApprovalService>();
                    foreach (var change in authorizing) await approvals.RecomputeAsync(change, "the CMDB graph changed", now, ct);
                }
                await db.SaveChangesAsync(ct);
                return count;
            }, ct);
        return new ImpactedServicesRefreshed(ids.Count, changed);
    }

    /// <summary>The states of a kind that are not final; none when no process governs the kind.</summary>
    private List<string> OpenStates(TicketKind kind) =>
        processes.All.FirstOrDefault(p => p.Kind == kind)?.States.Where(s => !s.IsFinal).Select(s => s.Id).ToList() ?? [];
}
