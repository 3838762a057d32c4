using Itsm.Application.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// One transaction per command. On PostgreSQL each request has its own. On SQLite, which has one writer at a time,
/// the request joins a group commit (<see cref="SqliteGroupCommit"/>): its work runs on the batch's connection and
/// transaction, and it returns once the batch is committed.
/// </summary>
public sealed class UnitOfWork(ItsmDbContext db, SqliteGroupCommit groupCommit) : IUnitOfWork
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work(ct);
        _afterCommit.Clear();
        T result;
        if (db.Database.IsSqlite()) result = await RunInGroupCommitAsync(work, ct);
        else
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            result = await work(ct);
            await tx.CommitAsync(ct);
        }
        var actions = _afterCommit.ToList();
        _afterCommit.Clear();
        foreach (var action in actions) await action(ct);
        return result;
    }

    private async Task<T> RunInGroupCommitAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()!;
        T result = default!;
        await groupCommit.RunAsync(connectionString, async (connection, transaction) =>
        {
            // The context borrows the writer's open connection for its turn, then gets a connection of its own back
            // (EF Core neither opens nor closes a connection it was handed open).
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            try
            {
                await db.Database.UseTransactionAsync(transaction, ct);
                result = await work(ct);
            }
            finally
            {
                await db.Database.UseTransactionAsync(null, CancellationToken.None);
                db.Database.SetDbConnection(new SqliteConnection(connectionString), contextOwnsConnection: true);
            }
        }, ct);
        return result;
    }
}
