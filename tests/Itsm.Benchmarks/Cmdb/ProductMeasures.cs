using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Infrastructure.Cmdb;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>
/// The product's own CMDB code on the loaded estate, in the app started on that database: the index build from the
/// tables (CmdbGraphStore.LoadAsync into a fresh CmdbGraphIndex, timed, its managed memory after a full GC), impact
/// analysis on the app's index (redundancy rules, retired CIs, explanation paths), and the neighbourhood API through
/// Kestrel.
/// </summary>
public static class ProductMeasures
{
    public sealed record IndexBuild(List<TimeSpan> Builds, long HeapBytes, int Nodes, int Edges, TimeSpan AppStart);

    public sealed record ImpactMeasure(string Category, LatencyStats Stats, double[] P50PerStart, List<int> Radii, List<bool> DepthLimited);

    public sealed record ApiMeasure(string Name, string Example, LoadResult Result, int Cis, double MeanNodes, int Truncated, long MeanBytes);

    /// <summary>Builds a second index next to the app's, twice (the first pays for the JIT), and keeps the last to weigh it.</summary>
    public static async Task<IndexBuild> BuildIndexAsync(BenchApp app, TimeSpan appStart)
    {
        var model = app.Services.GetRequiredService<CmdbModel>();
        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        var builds = new List<TimeSpan>();
        long heap = 0;
        CmdbGraphStore? kept = null;
        for (var k = 0; k < 2; k++)
        {
            kept = null; // the previous build is garbage before the next one is weighed
            var (elapsed, bytes, store) = await BuildOnceAsync(model, scopes);
            builds.Add(elapsed);
            // The larger of the two: the second build's "before" may still hold the first index, which the GC then frees.
            heap = Math.Max(heap, bytes);
            kept = store;
            Terminal.WriteLine($"  product index build {k + 1}: {elapsed.TotalSeconds:0.00} s, {bytes / 1048576.0:0} MiB managed after a full GC ({store.Index.Nodes:N0} CIs, {store.Index.Edges:N0} relationships)");
        }
        var result = new IndexBuild(builds, heap, kept!.Index.Nodes, kept.Index.Edges, appStart);
        GC.KeepAlive(kept);
        return result;
    }

    private static async Task<(TimeSpan Elapsed, long Bytes, CmdbGraphStore Store)> BuildOnceAsync(CmdbModel model, IServiceScopeFactory scopes)
    {
        var before = FullGcHeap();
        var store = new CmdbGraphStore(model, scopes, NullLogger<CmdbGraphStore>.Instance);
        var sw = Stopwatch.StartNew();
        await store.LoadAsync(CancellationToken.None);
        var elapsed = sw.Elapsed;
        return (elapsed, FullGcHeap() - before, store);
    }

    private static long FullGcHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The app's own index: impact from the same starts, the same sample plan as the bare walk.</summary>
    public static List<ImpactMeasure> Impact(BenchApp app, IReadOnlyList<CmdbScenario.Category> categories, int samplesPerCategory)
    {
        var index = app.Services.GetRequiredService<CmdbGraphStore>().Index;
        var list = new List<ImpactMeasure>();
        foreach (var c in categories.Where(c => c.Starts.Count > 0))
        {
            var samples = CmdbScenario.SamplesFor(c, samplesPerCategory);
            var radii = new List<int>();
            var limited = new List<bool>();
            foreach (var s in c.Starts)
            {
                var r = index.Impact([s], GraphQueries.DefaultDepth);
                radii.Add(r.Count);
                limited.Add(r.DepthLimited);
            }
            CmdbScenario.WarmUp(c, start => index.Impact([start], GraphQueries.DefaultDepth));
            var ticks = new long[samples];
            var perStart = c.Starts.Select(_ => new List<long>()).ToArray();
            for (var k = 0; k < samples; k++)
            {
                var start = c.Starts[k % c.Starts.Count];
                var t0 = Stopwatch.GetTimestamp();
                var r = index.Impact([start], GraphQueries.DefaultDepth);
                ticks[k] = Stopwatch.GetTimestamp() - t0;
                GC.KeepAlive(r);
                perStart[k % c.Starts.Count].Add(ticks[k]);
            }
            var stats = new LatencyStats(ticks);
            list.Add(new ImpactMeasure(c.Name, stats, perStart.Select(p => new LatencyStats(p).P50).ToArray(), radii, limited));
            Terminal.WriteLine($"  product impact {c.Name}: {samples} samples, p50 {stats.P50:0.000} p99 {stats.P99:0.000} max {stats.Max:0.000} ms");
        }
        return list;
    }

    /// <summary>GET /api/v1/cis/{id}/graph?depth=2&amp;limit=200 (and with asOf a month back) through Kestrel, one client.</summary>
    public static async Task<List<ApiMeasure>> NeighbourhoodAsync(BenchApp app, IReadOnlyList<long> ciIds, int requests, DateTimeOffset now)
    {
        var token = await Sessions.TokenAsync(app.BaseAddress, "engineer");
        using var client = Sessions.ApiClient(app.BaseAddress, token);
        var asOf = Uri.EscapeDataString((now - TimeSpan.FromDays(30)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        var list = new List<ApiMeasure>();
        foreach (var (name, query) in new[] { ("graph, depth 2, limit 200", "depth=2&limit=200"), ("graph, depth 2, limit 200, asOf 30 days back", $"depth=2&limit=200&asOf={asOf}") })
        {
            string Url(int i) => $"/api/v1/cis/{ciIds[i % ciIds.Count]}/graph?{query}";
            // Warm-up: every CI once (also counts what the answers hold), then a pause for the JIT's background work.
            long nodes = 0, bytes = 0;
            var truncated = 0;
            for (var i = 0; i < ciIds.Count; i++)
            {
                using var response = await client.GetAsync(Url(i));
                var body = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"GET {Url(i)}: {(int)response.StatusCode} {LoadRunner.Truncate(System.Text.Encoding.UTF8.GetString(body), 600)}");
                using var doc = JsonDocument.Parse(body);
                nodes += doc.RootElement.GetProperty("nodes").GetArrayLength();
                if (doc.RootElement.TryGetProperty("truncated", out var t) && t.ValueKind == JsonValueKind.True) truncated++;
                bytes += body.Length;
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var result = await LoadRunner.RunAsync(name, [client], requests, (i, _) => new HttpRequestMessage(HttpMethod.Get, Url(i)), HttpStatusCode.OK);
            list.Add(new ApiMeasure(name, $"/api/v1/cis/{{id}}/graph?{Uri.UnescapeDataString(query)}", result, ciIds.Count, nodes / (double)ciIds.Count, truncated, bytes / ciIds.Count));
            Terminal.WriteLine($"  API {name}: {requests} requests over {ciIds.Count} CIs, p50 {result.Latency.P50:0.00} p95 {result.Latency.P95:0.00} p99 {result.Latency.P99:0.00} ms, {nodes / (double)ciIds.Count:0} nodes per answer{(result.Errors > 0 ? $", {result.Errors} errors: {result.FirstError}" : "")}");
        }
        return list;
    }
}
