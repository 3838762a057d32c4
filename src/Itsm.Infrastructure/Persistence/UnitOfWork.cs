using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// One transaction per command. On PostgreSQL each request has its own. On SQLite, which has one writer at a time,
/// the request joins a group commit (<see cref="SqliteGroupCommit"/>): its work runs on the batch's connection and
/// transaction, and it returns once the batch is committed.
/// </summary>
public sealed class UnitOfWork(ItsmDbContext db, SqliteGroupCommit groupCommit) : IUnitOfWork
{
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null) return await work(ct);
        if (db.Database.IsSqlite()) return await RunInGroupCommitAsync(work, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var result = await work(ct);
        await tx.CommitAsync(ct);
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

/// <summary>Numbers come from one row per prefix, bumped inside the creating transaction: unique, in order, no gaps on commit.</summary>
public sealed class TicketNumberGenerator(ItsmDbContext db) : ITicketNumberGenerator
{
    public const long FirstNumber = 1001;

    public async Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken ct)
    {
        // Plain ADO.NET on the context's connection and transaction: this runs in SQLite's single writer's turn,
        // where EF Core's raw-query machinery would cost several times the statement.
        var prefix = kind.Prefix();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            cmd.CommandText = "UPDATE number_sequences SET \"Next\" = \"Next\" + 1 WHERE \"Prefix\" = @prefix RETURNING \"Next\" - 1";
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "@prefix";
            parameter.Value = prefix;
            cmd.Parameters.Add(parameter);
            var value = await cmd.ExecuteScalarAsync(ct)
                        ?? throw new InvalidOperationException($"No number sequence for {prefix}: the reference data was not applied.");
            return new TicketNumber(kind, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
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
