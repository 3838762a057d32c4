using System.Diagnostics;
using System.Text.Json;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// Two instances of the app on one database, as behind a load balancer: what is written through instance A shows in
/// instance B's graph (its in-memory index, which only the follower brings up to date) within a second. B follows
/// the changesets every Cmdb:FollowMilliseconds (250 ms by default); a second is four polls.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class CmdbFollowerTests(DbProvider provider)
{
    /// <summary>
    /// The promise. Measured from A's answer to the first answer of B that shows the change, polling B without pause:
    /// the measurement can only come out longer than the true delay, never shorter, so it needs no slack.
    /// </summary>
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    /// <summary>How long to keep looking, so that a slow follower fails with its delay rather than a timeout.</summary>
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(5);

    private ItsmApp _a = null!, _b = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _a = new ItsmApp(provider);
        _ = _a.Services; // A starts first: it migrates and seeds the database B then shares.
        _b = new ItsmApp(_a);
        _ = _b.Services;
        // Tokens and the first request's warm-up up front, so that the measured delays are the follower's alone.
        _a.Api("engineer");
        var warm = _b.Api("agent").SendAsync(HttpMethod.Get, "/api/v1/cmdb/classes", null).GetAwaiter().GetResult();
        Assert.That(warm.Status, Is.EqualTo(200), warm.ToString());
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Test]
    public async Task Follow_WhenInstanceARegistersAndLinks_InstanceBsImpactShowsItWithinASecond()
    {
        var g = new CmdbTestGraph(_a, Marker());
        var vm = await g.CiAsync("virtual-machine", "vm");
        var seen = await UntilAsync(() => ImpactAsync(vm), impact => impact is not null);
        Assert.That(seen.Elapsed, Is.LessThan(Within), $"B knows the new CI after {seen.Elapsed.TotalMilliseconds:F0} ms");
        Assert.That(Services(seen.Value), Is.Empty, "nothing depends on the VM yet");
        var shop = await g.CiAsync("business-service", "Shop");
        await UntilAsync(() => ImpactAsync(shop), impact => impact is not null);

        await g.LinkAsync(shop, "depends-on", vm);
        var linked = await UntilAsync(() => ImpactAsync(vm), impact => Services(impact).Count > 0);

        Assert.That(linked.Elapsed, Is.LessThan(Within), $"B shows the relationship after {linked.Elapsed.TotalMilliseconds:F0} ms");
        Assert.That(Services(linked.Value), Is.EqualTo(new[] { g.Name("Shop") }));
        var graph = await GraphAsync(shop);
        Assert.That(graph.GetProperty("edges").EnumerateArray().Select(e => (e.GetProperty("source").GetInt64(), e.GetProperty("type").GetString(), e.GetProperty("target").GetInt64())),
            Is.EqualTo(new[] { (shop, (string?)"depends-on", vm) }), "B's graph has the edge too");
    }

    [Test]
    public async Task Follow_WhenInstanceADeletesARelationship_InstanceBsImpactDropsItWithinASecond()
    {
        var g = new CmdbTestGraph(_a, Marker());
        var vm = await g.CiAsync("virtual-machine", "vm");
        var shop = await g.CiAsync("business-service", "Shop");
        var relationship = await g.LinkAsync(shop, "depends-on", vm);
        var before = await UntilAsync(() => ImpactAsync(vm), impact => Services(impact).Count > 0);
        Assert.That(Services(before.Value), Is.EqualTo(new[] { g.Name("Shop") }));

        await g.UnlinkAsync(relationship);
        var unlinked = await UntilAsync(() => ImpactAsync(vm), impact => impact is not null && Services(impact).Count == 0);

        Assert.That(unlinked.Elapsed, Is.LessThan(Within), $"B drops the relationship after {unlinked.Elapsed.TotalMilliseconds:F0} ms");
        Assert.That(unlinked.Value!.Value.GetProperty("totalImpacted").GetInt32(), Is.Zero);
        Assert.That((await GraphAsync(shop)).GetProperty("edges").GetArrayLength(), Is.Zero, "B's graph has lost the edge too");
    }

    [Test]
    public async Task Follow_WhenInstanceARetiresACi_InstanceBsImpactStopsAtItWithinASecond()
    {
        var g = new CmdbTestGraph(_a, Marker());
        var vm = await g.CiAsync("virtual-machine", "vm");
        var shop = await g.CiAsync("business-service", "Shop");
        await g.LinkAsync(shop, "depends-on", vm);
        await UntilAsync(() => ImpactAsync(vm), impact => Services(impact).Count > 0);

        var retire = await _a.Api("engineer").SendAsync(HttpMethod.Post, $"/api/v1/cis/{shop}/retire?reason=follower", null);
        Assert.That(retire.Status, Is.EqualTo(200), retire.ToString());
        var retired = await UntilAsync(() => ImpactAsync(vm), impact => impact is not null && Services(impact).Count == 0);

        Assert.That(retired.Elapsed, Is.LessThan(Within), $"B stops the impact at the retired CI after {retired.Elapsed.TotalMilliseconds:F0} ms");
        var node = (await GraphAsync(shop)).GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("id").GetInt64() == shop);
        Assert.That(node.GetProperty("status").GetString(), Is.EqualTo("Retired"), "B's graph shows the status");
    }

    private static string Marker() => "follow" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>B's impact of the CI, or null while B's graph does not know the CI yet (a 404 that names it).</summary>
    private async Task<JsonElement?> ImpactAsync(long ci)
    {
        var reply = await _b.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cis/{ci}/impact", null);
        if (reply.Status == 404 && reply.Text.Contains($"CI {ci} was not found", StringComparison.Ordinal)) return null;
        Assert.That(reply.Status, Is.EqualTo(200), $"B's impact of CI {ci}: {reply}");
        return reply.Json;
    }

    private async Task<JsonElement> GraphAsync(long ci)
    {
        var reply = await _b.Api("agent").SendAsync(HttpMethod.Get, $"/api/v1/cis/{ci}/graph", null);
        Assert.That(reply.Status, Is.EqualTo(200), $"B's graph of CI {ci}: {reply}");
        return reply.Json;
    }

    private static IReadOnlyList<string> Services(JsonElement? impact) =>
        impact is { } i ? i.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("ci").GetProperty("name").GetString()!).ToList() : [];

    /// <summary>Asks B again and again until the answer passes; how long that took from the call, or a failure after <see cref="GiveUp"/>.</summary>
    private static async Task<(T Value, TimeSpan Elapsed)> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var value = await ask();
            if (done(value))
            {
                TestContext.Out.WriteLine($"instance B followed after {watch.Elapsed.TotalMilliseconds:F0} ms");
                return (value, watch.Elapsed);
            }
            if (watch.Elapsed > GiveUp) Assert.Fail($"instance B did not follow within {GiveUp.TotalSeconds:F0} s; its last answer: {value}");
        }
    }
}
