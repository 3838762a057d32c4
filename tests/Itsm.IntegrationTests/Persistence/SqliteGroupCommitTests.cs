using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>
/// On SQLite, units of work share one transaction per batch (group commit). Each unit must still be all or
/// nothing, see the units before it, hear "done" only once committed, and run at all only if its caller still waits.
/// </summary>
[TestFixture]
public sealed class SqliteGroupCommitTests
{
    private ItsmApp _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(DbProvider.Sqlite);
        _ = _app.Api(null);
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("CREATE TABLE probe (id INTEGER PRIMARY KEY, unit INTEGER NOT NULL)"));
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [SetUp]
    public Task Empty() => _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM probe"));

    [Test]
    public async Task ConcurrentUnits_ShareCommits_AndAFailingUnitTakesBackOnlyItsOwnWrites()
    {
        var before = GroupCommit.Totals;
        var units = Enumerable.Range(0, 40).Select(async i =>
        {
            try
            {
                return await RunUnitAsync(async (db, ct) =>
                {
                    await db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES ({i})", ct);
                    await Task.Delay(2, ct); // a unit that takes a while lets the others queue up behind it
                    if (i % 4 == 3) throw new InvalidOperationException("unit " + i + " breaks a rule after writing");
                    return i;
                });
            }
            catch (InvalidOperationException) { return -1; }
        }).ToList();
        var results = await Task.WhenAll(units);

        var expected = Enumerable.Range(0, 40).Where(i => i % 4 != 3).ToList();
        Assert.That(results.Where(r => r >= 0), Is.EquivalentTo(expected));
        Assert.That(await ProbeUnitsAsync(), Is.EquivalentTo(expected), "exactly the units that succeeded are stored");
        var after = GroupCommit.Totals;
        Assert.That(after.Units - before.Units, Is.EqualTo(expected.Count));
        Assert.That(after.Batches - before.Batches, Is.LessThan(expected.Count), "several units shared a commit");
    }

    [Test]
    public async Task AUnit_SeesTheWritesOfTheUnitsBeforeIt_AndRunsWithFullSync()
    {
        await RunUnitAsync((db, ct) => db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES (1)", ct));
        var (seen, synchronous) = await RunUnitAsync(async (db, ct) =>
        {
            await db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES (2)", ct);
            var count = await db.Database.SqlQueryRaw<long>("SELECT COUNT(*) AS \"Value\" FROM probe").SingleAsync(ct);
            var sync = await db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync(ct);
            return (count, sync);
        });
        Assert.That(seen, Is.EqualTo(2));
        Assert.That(synchronous, Is.EqualTo(2), "2 is FULL: a commit is on disk before the unit hears it is done");
    }

    [Test]
    public async Task AUnitWhoseCallerGaveUpWhileQueued_NeverRuns()
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = RunUnitAsync(async (db, ct) =>
        {
            holding.SetResult();
            await release.Task;
            return await db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES (1)", ct);
        });
        await holding.Task;
        using var cancel = new CancellationTokenSource();
        var ran = false;
        var second = RunUnitAsync((db, ct) => { ran = true; return db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES (2)", ct); }, cancel.Token);
        await cancel.CancelAsync();
        Assert.That(async () => await second, Throws.InstanceOf<OperationCanceledException>());
        release.SetResult();
        await first;
        Assert.That(ran, Is.False);
        Assert.That(await ProbeUnitsAsync(), Is.EqualTo(new[] { 1L }));
    }

    [Test]
    public async Task AfterItsTurn_TheContextReadsOnAConnectionOfItsOwn()
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        var unitOfWork = scope.ServiceProvider.GetRequiredService<IUnitOfWork>();
        await unitOfWork.RunAsync(ct => db.Database.ExecuteSqlAsync($"INSERT INTO probe (unit) VALUES (7)", ct), CancellationToken.None);
        Assert.That(db.Database.CurrentTransaction, Is.Null);
        Assert.That(await db.Database.SqlQueryRaw<long>("SELECT unit AS \"Value\" FROM probe").ToListAsync(), Is.EqualTo(new[] { 7L }));
    }

    [Test]
    public async Task WhenTheDatabaseCannotBeOpened_WaitingUnitsGetTheErrorInsteadOfHanging()
    {
        using var groupCommit = new SqliteGroupCommit(new SqlitePragmas("FULL"), NullLogger<SqliteGroupCommit>.Instance);
        var missing = $"Data Source={Path.Combine(Path.GetTempPath(), "itsm-no-such-dir-" + Guid.NewGuid(), "itsm.db")};Mode=ReadWrite";
        var ran = false;

        var unit = groupCommit.RunAsync(missing, (_, _) => { ran = true; return Task.CompletedTask; }, CancellationToken.None);

        Assert.That(async () => await unit.WaitAsync(TimeSpan.FromSeconds(10)), Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>());
        Assert.That(ran, Is.False);
    }

    private SqliteGroupCommit GroupCommit => _app.Services.GetRequiredService<SqliteGroupCommit>();

    private async Task<T> RunUnitAsync<T>(Func<ItsmDbContext, CancellationToken, Task<T>> work, CancellationToken ct = default)
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        return await scope.ServiceProvider.GetRequiredService<IUnitOfWork>().RunAsync(c => work(db, c), ct);
    }

    private Task<List<long>> ProbeUnitsAsync() =>
        _app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT unit AS \"Value\" FROM probe ORDER BY unit").ToListAsync());
}
