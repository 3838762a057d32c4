using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer at a time. Queuing writers here, in-process, is far cheaper than letting them
/// collide on the database lock and back off (which is what wrecks tail latency under load).
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Releaser(_gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}

public sealed class UnitOfWork(ItsmDbContext db, SqliteWriteGate gate) : IUnitOfWork
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work(ct);
        using var held = db.Database.IsSqlite() ? await gate.EnterAsync(ct) : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work(ct);
        await tx.CommitAsync(ct);
        return result;
    }
}

/// <summary>Numbers come from one row per prefix, bumped inside the creating transaction: unique, in order, no gaps on commit.</summary>
public sealed class TicketNumberGenerator(ItsmDbContext db) : ITicketNumberGenerator
{
    public const long FirstNumber = 1001;

    public async Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken ct)
    {
        var prefix = kind.Prefix();
        var values = await db.Database
            .SqlQuery<long>($"UPDATE number_sequences SET \"Next\" = \"Next\" + 1 WHERE \"Prefix\" = {prefix} RETURNING \"Next\" - 1 AS \"Value\"")
            .ToListAsync(ct);
        if (values.Count == 0)
            throw new InvalidOperationException($"No number sequence for {prefix}: the reference data was not applied.");
        return new TicketNumber(kind, values[0]);
    }

    /// <summary>Makes sure every prefix has its row (idempotent; part of the reference data).</summary>
    public static async Task EnsureSequencesAsync(ItsmDbContext db, CancellationToken ct)
    {
        foreach (var kind in Enum.GetValues<TicketKind>())
        {
            var prefix = kind.Prefix();
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO number_sequences (\"Prefix\", \"Next\") VALUES ({prefix}, {FirstNumber}) ON CONFLICT DO NOTHING", ct);
        }
    }
}
