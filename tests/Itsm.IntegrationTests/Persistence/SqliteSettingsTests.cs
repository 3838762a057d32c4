using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>The embedded database runs in WAL mode with synchronous=FULL: an acknowledged write survives a crash.</summary>
[TestFixture]
public sealed class SqliteSettingsTests
{
    [Test]
    public async Task Start_WhenSqlite_FileIsInWalModeAndConnectionsSyncFully()
    {
        using var app = new ItsmApp(DbProvider.Sqlite);
        _ = app.Api(null);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        await db.Database.OpenConnectionAsync();
        var journal = await Scalar(db, "PRAGMA journal_mode");
        var synchronous = await Scalar(db, "PRAGMA synchronous");
        Assert.That(journal, Is.EqualTo("wal"));
        Assert.That(synchronous, Is.EqualTo("2"), "2 is FULL");
    }

    private static async Task<string?> Scalar(ItsmDbContext db, string sql)
    {
        await using var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync())?.ToString();
    }
}
