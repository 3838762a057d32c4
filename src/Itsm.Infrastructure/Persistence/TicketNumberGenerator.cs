using System.Data.Common;
using System.Globalization;
using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// Ticket numbers (docs/decisions/0008). PostgreSQL: one SEQUENCE per kind (migration 0006); <c>nextval</c> takes no
/// lock that lives until commit, so concurrent creates, on one instance or several, do not wait for each other. A
/// create that rolls back leaves a gap, never a duplicate. SQLite: one row per kind in number_sequences, bumped in
/// the single writer's turn: unique, in order, and no gaps on commit.
/// </summary>
public sealed class TicketNumberGenerator(ItsmDbContext db) : ITicketNumberGenerator
{
    public const long FirstNumber = 1001;

    /// <summary>The PostgreSQL sequence of a kind, as migration 0006 names it (ticket_number_inc, …).</summary>
    public static string SequenceName(TicketKind kind) => "ticket_number_" + kind.Prefix().ToLowerInvariant();

    public async Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken ct)
    {
        // Plain ADO.NET on the context's connection and transaction: on SQLite this runs in the single writer's turn,
        // where EF Core's raw-query machinery would cost several times the statement.
        var postgres = db.Database.IsNpgsql();
        var value = await ScalarAsync(db, postgres
            ? $"SELECT nextval('{SequenceName(kind)}')"
            : "UPDATE number_sequences SET \"Next\" = \"Next\" + 1 WHERE \"Prefix\" = @prefix RETURNING \"Next\" - 1",
            kind.Prefix(), ct);
        return new TicketNumber(kind, value ?? throw new InvalidOperationException(
            $"No number sequence for {kind.Prefix()}: the reference data was not applied."));
    }

    /// <summary>The number the next create of this kind would get, without taking it (for imports and tools).</summary>
    public static async Task<long> PeekAsync(ItsmDbContext db, TicketKind kind, CancellationToken ct = default)
    {
        var value = await ScalarAsync(db, db.Database.IsNpgsql()
            ? $"SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {SequenceName(kind)}"
            : "SELECT \"Next\" FROM number_sequences WHERE \"Prefix\" = @prefix", kind.Prefix(), ct);
        return value ?? throw new InvalidOperationException($"No number sequence for {kind.Prefix()}: the reference data was not applied.");
    }

    /// <summary>
    /// After tickets were imported with numbers up to <paramref name="highest"/>: the next number follows it (never
    /// moves backwards). Not atomic with concurrent creates on PostgreSQL: run it while nothing else creates.
    /// </summary>
    public static async Task MovePastAsync(ItsmDbContext db, TicketKind kind, long highest, CancellationToken ct = default)
    {
        await ScalarAsync(db, db.Database.IsNpgsql()
            ? $"SELECT setval('{SequenceName(kind)}', greatest({highest.ToString(CultureInfo.InvariantCulture)}, " +
              $"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {SequenceName(kind)})))"
            : $"UPDATE number_sequences SET \"Next\" = max(\"Next\", {(highest + 1).ToString(CultureInfo.InvariantCulture)}) WHERE \"Prefix\" = @prefix RETURNING \"Next\"",
            kind.Prefix(), ct);
    }

    /// <summary>
    /// SQLite: makes sure every prefix has its row (idempotent; part of the reference data). PostgreSQL: nothing, the
    /// sequences are schema and come with migration 0006.
    /// </summary>
    public static async Task EnsureSequencesAsync(ItsmDbContext db, CancellationToken ct)
    {
        if (db.Database.IsNpgsql()) return;
        foreach (var kind in Enum.GetValues<TicketKind>())
        {
            var prefix = kind.Prefix();
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO number_sequences (\"Prefix\", \"Next\") VALUES ({prefix}, {FirstNumber}) ON CONFLICT DO NOTHING", ct);
        }
    }

    private static async Task<long?> ScalarAsync(ItsmDbContext db, string sql, string prefix, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using DbCommand cmd = db.Database.GetDbConnection().CreateCommand();
            cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            cmd.CommandText = sql;
            if (sql.Contains("@prefix", StringComparison.Ordinal))
            {
                var parameter = cmd.CreateParameter();
                parameter.ParameterName = "@prefix";
                parameter.Value = prefix;
                cmd.Parameters.Add(parameter);
            }
            var value = await cmd.ExecuteScalarAsync(ct);
            return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
