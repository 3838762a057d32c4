using Itsm.Application.Common;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Persistence;

/// <summary>Categories and groups come from memory; a change shows at once when made here, and within the cache time when made elsewhere.</summary>
[TestFixture]
public sealed class ReferenceDataCacheTests
{
    private ItsmApp _app = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new ItsmApp(DbProvider.Sqlite);
        _ = _app.Api(null);
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private IReferenceData ReferenceData => _app.Services.GetRequiredService<IReferenceData>();

    [Test]
    public async Task AChangeMadeElsewhere_ShowsOnceTheSnapshotIsOlderThanTheCacheTime()
    {
        var group = (await ReferenceData.FindGroupAsync(ServiceDesk, default))!;
        var members = group.Members.Count;
        await ChangeInDatabaseAsync(async db =>
        {
            var tracked = await db.AssignmentGroups.Include(g => g.Members).SingleAsync(g => g.Id == ServiceDesk);
            tracked.AddMember("someone-new-" + Guid.NewGuid());
        });

        Assert.That((await ReferenceData.FindGroupAsync(ServiceDesk, default))!.Members, Has.Count.EqualTo(members), "still the snapshot");
        _app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.That((await ReferenceData.FindGroupAsync(ServiceDesk, default))!.Members, Has.Count.EqualTo(members + 1));
    }

    [Test]
    public async Task Invalidate_ShowsAChangeAtOnce_AndUnknownCodesAreNull()
    {
        var code = (await ReferenceData.FindCategoryAsync("network", default))!.Code;
        await ChangeInDatabaseAsync(async db => (await db.Categories.SingleAsync(c => c.Code == code)).Relabel("Network (relabelled)"));
        ReferenceData.Invalidate();
        Assert.That((await ReferenceData.FindCategoryAsync(code, default))!.Label, Is.EqualTo("Network (relabelled)"));
        Assert.That(await ReferenceData.FindCategoryAsync("no-such-category", default), Is.Null);
        Assert.That(await ReferenceData.FindGroupAsync(Guid.NewGuid(), default), Is.Null);
    }

    private static Guid ServiceDesk => Itsm.Infrastructure.Seeding.ReferenceDataSeeder.DeterministicId("Service Desk");

    private Task ChangeInDatabaseAsync(Func<ItsmDbContext, Task> change) =>
        _app.WithDbAsync(async db =>
        {
            await change(db);
            return await db.SaveChangesAsync();
        });
}
