using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings: durability (<c>synchronous</c>) and how long to wait for a lock. They belong to
/// the native connection, which Microsoft.Data.Sqlite pools, so they are set once per native connection rather than
/// on every open. WAL is a property of the file, set once at start (StartupTasks); EF Core itself turns foreign keys on.
/// </summary>
public sealed class SqlitePragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly string _sql = $"PRAGMA synchronous={(synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase) ? "NORMAL" : "FULL")}; PRAGMA busy_timeout=10000;";
    private readonly ConditionalWeakTable<object, object> _configured = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    public void Apply(DbConnection connection)
    {
        var handle = (connection as SqliteConnection)?.Handle;
        if (handle is not null && _configured.TryGetValue(handle, out _)) return;
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = _sql;
            cmd.ExecuteNonQuery();
        }
        if (handle is not null) _configured.TryAdd(handle, this);
    }
}
