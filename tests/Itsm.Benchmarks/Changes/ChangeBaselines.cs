using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;

namespace Itsm.Benchmarks.Changes;

/// <summary>
/// The cheapest versions of the reads behind the change endpoints, as floors: plain SQL on a connection of its own
/// (ADO.NET, no EF, no mapping to objects beyond reading each value), against the app's tables and indexes.
/// - Overlapping changes: the changes holding a window that overlaps [from, to) and their affected CIs, the two reads
///   the conflict check needs.
/// - The calendar: the month's changes, the columns the calendar shows, earliest first.
/// - The approvals inbox: the requested approvals of changes in Authorize for a person and their groups, oldest
///   first, and their count.
/// </summary>
public sealed class ChangeBaselines : IDisposable
{
    private static readonly DateTimeOffsetToBinaryConverter Binary = new();
    private readonly DbConnection _conn;
    private readonly bool _sqlite;

    public const string CalendarStates = "'assess', 'authorize', 'scheduled', 'implement'";

    public ChangeBaselines(DbProvider provider, string connectionString)
    {
        _sqlite = provider == DbProvider.Sqlite;
        _conn = _sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        _conn.Open();
    }

    /// <summary>The other changes overlapping the window (in the states that hold one) and their affected CIs; returns (changes, CI rows).</summary>
    public (int Changes, int Cis) Overlapping(string number, DateTimeOffset from, DateTimeOffset to)
    {
        var ids = new List<object>();
        using (var cmd = Command("""
                   SELECT "Id", "Number", "ShortDescription", "PlannedStart", "PlannedEnd", "ImplementerId", "ImplementerName" FROM tickets
                   WHERE "Kind" = 'Change' AND "PlannedStart" < @to AND "PlannedEnd" > @from AND "State" IN (
                   """ + CalendarStates + ")"))
        {
            Add(cmd, "to", Time(to));
            Add(cmd, "from", Time(from));
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                if (r.GetString(1) == number) continue;
                ids.Add(r.GetValue(0));
                for (var i = 2; i < r.FieldCount; i++) _ = r.IsDBNull(i) ? null : r.GetValue(i);
            }
        }
        if (ids.Count == 0) return (0, 0);
        var cis = 0;
        using (var cmd = Command($"""SELECT "TicketId", "CiId" FROM ticket_configuration_items WHERE "Role" = 0 AND "TicketId" IN ({string.Join(", ", ids.Select((_, i) => "@t" + i))})"""))
        {
            for (var i = 0; i < ids.Count; i++) Add(cmd, "t" + i, ids[i]);
            using var r = cmd.ExecuteReader();
            while (r.Read()) { _ = r.GetValue(0); _ = r.GetInt64(1); cis++; }
        }
        return (ids.Count, cis);
    }

    /// <summary>The calendar's changes between two times (canceled ones left out), earliest first; returns how many.</summary>
    public int Calendar(DateTimeOffset from, DateTimeOffset to)
    {
        using var cmd = Command("""
            SELECT "Number", "ShortDescription", "ChangeType", "State", "Risk", "PlannedStart", "PlannedEnd", "ImplementerName" FROM tickets
            WHERE "Kind" = 'Change' AND "PlannedStart" < @to AND "PlannedEnd" > @from AND "State" <> 'canceled'
            ORDER BY "PlannedStart", "Number" LIMIT 5000
            """);
        Add(cmd, "to", Time(to));
        Add(cmd, "from", Time(from));
        var n = 0;
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            for (var i = 0; i < r.FieldCount; i++) _ = r.IsDBNull(i) ? null : r.GetValue(i);
            n++;
        }
        return n;
    }

    /// <summary>The inbox of a person in some groups: the count and the first 200; returns the count.</summary>
    public int Inbox(string userId, IReadOnlyList<Guid> groups)
    {
        var where = $"""
            FROM change_approvals a JOIN tickets c ON c."Id" = a."ChangeId"
            WHERE a."State" = 'Requested' AND c."State" = 'authorize' AND c."RequesterId" <> @me AND (c."ImplementerId" IS NULL OR c."ImplementerId" <> @me)
              AND ((a."Kind" = 'Person' AND a."ApproverId" = @me) OR (a."Kind" = 'Group' AND a."ApproverId" IN ({(groups.Count == 0 ? "''" : string.Join(", ", groups.Select((_, i) => "@g" + i)))})))
            """;
        void Parameters(DbCommand cmd)
        {
            Add(cmd, "me", userId);
            for (var i = 0; i < groups.Count; i++) Add(cmd, "g" + i, groups[i].ToString("D"));
        }
        int count;
        using (var cmd = Command("SELECT COUNT(*) " + where))
        {
            Parameters(cmd);
            count = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        using (var cmd = Command("""
                   SELECT a."Id", c."Number", c."ShortDescription", c."ChangeType", c."Risk", c."PlannedStart", c."PlannedEnd", c."RequesterName",
                          a."StageName", a."SetLabel", a."ApproverName", a."Why", a."RequestedAt", c."Version"
                   """ + where + """ ORDER BY a."RequestedAt", c."Number" LIMIT 200"""))
        {
            Parameters(cmd);
            using var r = cmd.ExecuteReader();
            while (r.Read())
                for (var i = 0; i < r.FieldCount; i++) _ = r.IsDBNull(i) ? null : r.GetValue(i);
        }
        return count;
    }

    /// <summary>How the database plans the overlap read (for the results file).</summary>
    public string PlanOfOverlap(DateTimeOffset from, DateTimeOffset to)
    {
        using var cmd = Command((_sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + """
            SELECT "Id" FROM tickets WHERE "Kind" = 'Change' AND "PlannedStart" < @to AND "PlannedEnd" > @from AND "State" IN (
            """ + CalendarStates + ")");
        Add(cmd, "to", Time(to));
        Add(cmd, "from", Time(from));
        using var r = cmd.ExecuteReader();
        var lines = new List<string>();
        while (r.Read()) lines.Add(_sqlite ? r.GetString(3) : r.GetString(0));
        return string.Join("\n", lines);
    }

    private object Time(DateTimeOffset t) => _sqlite ? (long)Binary.ConvertToProvider(t)! : t.ToUniversalTime();

    private DbCommand Command(string sql)
    {
        var cmd = _conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.CommandTimeout = 120;
        return cmd;
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    public void Dispose() => _conn.Dispose();
}
