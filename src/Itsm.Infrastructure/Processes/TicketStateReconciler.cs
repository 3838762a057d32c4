using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// At start-up, after the migrations: every ticket must be in a state its process still has. Tickets in a state the
/// definition's <c>state-renames</c> maps are moved, each move audited in the ticket's history; any other state that
/// is gone stops start-up with the count of tickets per kind and state, and nothing is moved. Without this, the first
/// request for such a ticket would be a 500.
/// </summary>
public sealed class TicketStateReconciler(ItsmDbContext db, IProcessCatalog processes, IClock clock, ILogger<TicketStateReconciler> logger)
{
    // Several instances starting together take turns (the migrator's lock is another key, released before this runs).
    private const string PostgresLock = "SELECT pg_advisory_xact_lock(47112027)";
    private const int BatchSize = 500;

    /// <summary>Returns the number of tickets moved; throws <see cref="ProcessDefinitionException"/> when tickets are in states that are gone and unmapped.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
            await db.Database.ExecuteSqlRawAsync(PostgresLock, ct);

        var groups = await db.Tickets.GroupBy(t => new { t.Kind, t.State })
            .Select(g => new { g.Key.Kind, g.Key.State, Count = g.Count() })
            .ToListAsync(ct);
        var errors = new List<DefinitionError>();
        var moves = new List<(ProcessDefinition Process, StateRename Rename, int Count)>();
        foreach (var g in groups.OrderBy(g => g.Kind).ThenBy(g => g.State, StringComparer.Ordinal))
        {
            // A kind no definition governs is not ours to judge here (the catalog reports it where it is used).
            var process = processes.All.FirstOrDefault(p => p.Kind == g.Kind);
            if (process is null || process.States.Any(s => s.Id == g.State)) continue;
            var rename = process.StateRenames.FirstOrDefault(r => r.From == g.State);
            if (rename is not null) moves.Add((process, rename, g.Count));
            else errors.Add(new DefinitionError(process.StatesLocation ?? new SourceLocation(process.File, 1),
                $"{Tickets(g.Count, g.Kind)} in state '{g.State}', which the definition no longer has; add it back or map it in `state-renames:` (e.g. `state-renames: {{ {g.State}: <new state> }}`)."));
        }
        if (errors.Count > 0) throw new ProcessDefinitionException(errors);

        var moved = 0;
        var now = clock.UtcNow;
        foreach (var (process, rename, count) in moves)
        {
            var kind = process.Kind;
            var from = rename.From;
            int batch;
            do
            {
                // Through the aggregate, so each move is one audited change (who: system), and the version moves on.
                var tickets = await db.Tickets.Where(t => t.Kind == kind && t.State == from).OrderBy(t => t.Id).Take(BatchSize).ToListAsync(ct);
                foreach (var ticket in tickets) ticket.RenameState(process, from, rename.To, now);
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                batch = tickets.Count;
                moved += batch;
            } while (batch == BatchSize);
            logger.LogWarning("{File}: moved {Count} {Kind} tickets from state '{From}', which the definition no longer has, to '{To}' (state-renames); each move is in the ticket's history",
                process.File, count, kind, from, rename.To);
        }
        await tx.CommitAsync(ct);
        return moved;
    }

    private static string Tickets(int count, TicketKind kind) =>
        count == 1 ? $"1 {kind.ToString().ToLowerInvariant()} ticket is" : $"{count} {kind.ToString().ToLowerInvariant()} tickets are";
}
