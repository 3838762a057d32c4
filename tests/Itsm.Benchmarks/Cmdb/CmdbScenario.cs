using System.Diagnostics;
using System.Globalization;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>
/// The CMDB at scale: generate an estate (EstateGenerator), bulk-load it into migration 0010's tables of a database the
/// app has migrated (EstateLoader), then measure impact analysis from start CIs of three blast-radius categories with
/// the baselines: the bare breadth-first walk over CSR arrays (BareGraph) and a depth-limited recursive CTE on the
/// database (RecursiveCte).
/// </summary>
public static class CmdbScenario
{
    public sealed record Category(string Name, string Description, List<long> Starts, List<int> Radii, List<int> Depths, List<int> UsedBy);

    /// <param name="CteOverBare">The median over the CTE's samples of (its time / the bare walk's p50 for the same start CI).</param>
    public sealed record Measured(Category Category, LatencyStats Bfs, LatencyStats? Cte, int CteSamples, int CteTimedOut, int CteMismatches, List<string> CteNotes, double CteOverBare,
        List<(int Start, double Ms)> CteSampleTimes);

    public const double TargetBuildSeconds = 10, TargetBuildMiB = 500, TargetImpactP99Ms = 5, TargetWholeEstateP99Ms = 150, TargetCteRatio = 100,
        TargetGraphP95Ms = 20, TargetGraphAsOfP95Ms = 50;

    public static async Task<int> RunAsync(Options o)
    {
        var start = Report.Start.Now();
        var providerTitle = o.Provider == DbProvider.Sqlite ? "SQLite" : "PostgreSQL";
        Terminal.WriteLine($"cmdb on {o.ProviderName}: {o.Cis:N0} CIs, {o.Starts} start CIs per category, {o.CmdbSamples} bare-walk samples per category");
        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };

        // 1. The app migrates the empty database (and seeds its reference and demo data); then it stops.
        using (var app = new BenchApp(db, o)) app.Start();
        db.ClearPools();

        // 2. Generate.
        var sw = Stopwatch.StartNew();
        var estate = new EstateGenerator(o.Cis, o.Seed).Generate(DateTimeOffset.UtcNow);
        var generateTime = sw.Elapsed;
        var rels = estate.Relationships;
        Terminal.WriteLine($"  generated {estate.CiCount:N0} CIs, {rels.Count:N0} relationships ({rels.LiveCount():N0} live), {estate.Changesets.Count:N0} changesets in {generateTime.TotalSeconds:0.0} s");

        // 3. Load.
        sw.Restart();
        var loader = new EstateLoader(o.Provider, db.ConnectionString);
        var timings = await loader.LoadAsync(estate);
        var loadTime = sw.Elapsed;
        var loadedRows = timings.Sum(t => t.Rows);
        Terminal.WriteLine($"  loaded {loadedRows:N0} rows in {loadTime.TotalSeconds:0.0} s ({loadedRows / loadTime.TotalSeconds:N0} rows/s)");
        long Id(int ci) => loader.CiIdBase + ci + 1;

        // 4. The bare walk's arrays, from the database.
        var directions = ImpactDirections.Read();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        BareGraph graph;
        using (var conn = loader.Open()) graph = BareGraph.Load(conn, directions);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Terminal.WriteLine($"  bare CSR: {graph.LiveRelationships:N0} live relationships read in {graph.ReadTime.TotalSeconds:0.00} s, arrays built in {graph.BuildTime.TotalMilliseconds:0} ms, {graph.Bytes / 1048576.0:0.0} MiB of arrays ({(heapAfter - heapBefore) / 1048576.0:0.0} MiB managed heap growth with the walk's scratch)");

        // 5. Start CIs per category, chosen by their bare-walk radius.
        var categories = ChooseStarts(estate, graph, Id, o);
        foreach (var c in categories)
            Terminal.WriteLine($"  {c.Name}: {c.Starts.Count} start CIs, radius {Summary(c.Radii)}, depth up to {(c.Depths.Count > 0 ? c.Depths.Max() : 0)}");

        // 6. The bare walk: a warm-up pass, then samples round-robin over the starts.
        var measured = new List<(Category C, LatencyStats Bfs, double[] BfsP50PerStart)>();
        foreach (var c in categories.Where(c => c.Starts.Count > 0))
        {
            var samples = SamplesFor(c, o.CmdbSamples);
            WarmUp(c, start => graph.Impact(start));
            var ticks = new long[samples];
            var perStart = c.Starts.Select(_ => new List<long>()).ToArray();
            for (var k = 0; k < samples; k++)
            {
                var t0 = Stopwatch.GetTimestamp();
                graph.Impact(c.Starts[k % c.Starts.Count]);
                ticks[k] = Stopwatch.GetTimestamp() - t0;
                perStart[k % c.Starts.Count].Add(ticks[k]);
            }
            var stats = new LatencyStats(ticks);
            measured.Add((c, stats, perStart.Select(p => new LatencyStats(p).P50).ToArray()));
            Terminal.WriteLine($"  bare walk {c.Name}: {samples} samples, p50 {Ms(stats.P50)} p99 {Ms(stats.P99)} max {Ms(stats.Max)} ms");
        }

        // 7. The recursive CTE: fewer samples on the same starts, a statement timeout and a time budget per category.
        var results = new List<Measured>();
        var timeout = TimeSpan.FromSeconds(o.CteTimeoutSeconds);
        string plan, cteSql;
        using (var cte = new RecursiveCte(o.Provider, db.ConnectionString, directions, o.CteDepth, timeout))
        {
            plan = cte.Plan();
            cteSql = cte.Sql;
            var warm = categories[0].Starts.FirstOrDefault();
            if (warm != 0) cte.Impact(warm);
            foreach (var (c, bfs, bfsPerStart) in measured)
            {
                var wanted = c.Name switch { "small" => o.CteSamplesSmall, "medium" => o.CteSamplesMedium, _ => o.CteSamplesLarge };
                var budget = TimeSpan.FromSeconds(o.CteBudgetSeconds);
                var ticks = new List<long>();
                var ratios = new List<double>();
                var sampleTimes = new List<(int, double)>();
                int timedOut = 0, mismatches = 0;
                var notes = new List<string>();
                var spent = Stopwatch.StartNew();
                for (var k = 0; k < wanted && (k == 0 || spent.Elapsed < budget); k++)
                {
                    // Spread over the starts (they are sorted by radius in the medium category).
                    var i = wanted >= c.Starts.Count ? k % c.Starts.Count : (int)((long)k * c.Starts.Count / wanted);
                    var (radius, elapsed) = cte.Impact(c.Starts[i]);
                    if (radius is null)
                    {
                        timedOut++;
                        notes.Add($"CI {c.Starts[i]}: stopped at the {timeout.TotalSeconds:0} s timeout");
                        Terminal.WriteLine($"    CTE {c.Name} CI {c.Starts[i]}: timed out after {elapsed.TotalSeconds:0.0} s");
                        continue;
                    }
                    ticks.Add((long)(elapsed.TotalSeconds * Stopwatch.Frequency));
                    ratios.Add(elapsed.TotalMilliseconds / Math.Max(bfsPerStart[i], 1e-6));
                    sampleTimes.Add((i, elapsed.TotalMilliseconds));
                    if (radius != c.Radii[i] && c.Depths[i] <= o.CteDepth)
                    {
                        mismatches++;
                        notes.Add($"CI {c.Starts[i]}: CTE radius {radius} vs bare walk {c.Radii[i]}");
                    }
                    if (c.Depths[i] > o.CteDepth) notes.Add($"CI {c.Starts[i]}: the bare walk goes {c.Depths[i]} deep, past the CTE's limit");
                    if (k < 3 || c.Name != "small") Terminal.WriteLine($"    CTE {c.Name} CI {c.Starts[i]}: radius {radius:N0} in {elapsed.TotalMilliseconds:0.0} ms");
                }
                if (ticks.Count + timedOut < wanted) notes.Add($"{ticks.Count + timedOut} of {wanted} samples: the category's {o.CteBudgetSeconds} s budget was spent");
                var stats = ticks.Count > 0 ? new LatencyStats(ticks) : null;
                results.Add(new Measured(c, bfs, stats, ticks.Count, timedOut, mismatches, notes, Median(ratios), sampleTimes));
                Terminal.WriteLine($"  CTE {c.Name}: {ticks.Count} samples{(timedOut > 0 ? $", {timedOut} timed out" : "")}{(stats is null ? "" : $", p50 {Ms(stats.P50)} p99 {Ms(stats.P99)} ms, {Median(ratios):N0}x the bare walk on the same starts (median of per-start ratios)")}");
            }
        }

        // 8. The product: the app started on the loaded database (it builds its index before taking requests), a second
        //    index built next to it to time and weigh, impact on the app's index, the neighbourhood API through Kestrel.
        db.ClearPools();
        ProductMeasures.IndexBuild build;
        List<ProductMeasures.ImpactMeasure> product;
        List<ProductMeasures.ApiMeasure> api;
        // Restricted CIs are hidden from the engineer (404): left out.
        bool Visible(long id) => !estate.Restricted[(int)(id - loader.CiIdBase - 1)];
        var apiCis = categories.SelectMany(c => c.Starts).Where(Visible).ToList();
        {
            var random = new Random(o.Seed + 2);
            while (apiCis.Count < o.ApiCis) { var ci = Id(random.Next(estate.CiCount)); if (!apiCis.Contains(ci) && Visible(ci)) apiCis.Add(ci); }
        }
        var appWatch = Stopwatch.StartNew();
        using (var app = new BenchApp(db, o))
        {
            app.Start();
            var appStart = appWatch.Elapsed;
            Terminal.WriteLine($"  app started on the loaded database in {appStart.TotalSeconds:0.0} s (its index built before the server took requests)");
            build = await ProductMeasures.BuildIndexAsync(app, appStart);
            product = ProductMeasures.Impact(app, categories, o.CmdbSamples);
            api = await ProductMeasures.NeighbourhoodAsync(app, apiCis, o.ApiRequests, estate.Now);
        }

        // 9. Results.
        var report = new Report(start, "cmdb", o.ProviderName, $"CMDB impact analysis on {o.Cis:N0} CIs, {providerTitle}: the product's index and API against the baselines",
            new Dictionary<string, object?>
            {
                ["scenario"] = "cmdb: generated estate bulk-loaded into migration 0010's tables; impact from start CIs of three blast-radius categories",
                ["provider"] = o.Provider == DbProvider.Sqlite
                    ? "SQLite (WAL; the loader's own connection with synchronous=OFF; no ANALYZE: the app does not run it)"
                    : "PostgreSQL (fresh database; binary COPY; VACUUM (ANALYZE) after loading, as autovacuum would)",
                ["database server"] = db.ServerVersion(),
                ["CIs"] = estate.CiCount,
                ["relationships"] = $"{rels.Count:N0} rows, {rels.LiveCount():N0} live ({rels.LiveCount() / (double)estate.CiCount:0.00} per CI)",
                ["changesets"] = estate.Changesets.Count,
                ["start CIs per category"] = o.Starts,
                ["bare-walk samples per category"] = $"{o.CmdbSamples} (large: {Math.Max(o.Starts, o.CmdbSamples / 5)}), round-robin over the start CIs, after a warm-up round-robin of at least {WarmUpTime.TotalSeconds:0} s (and 3 rounds) per category",
                ["CTE"] = $"depth limit {o.CteDepth}; samples small {o.CteSamplesSmall}, medium {o.CteSamplesMedium}, large {o.CteSamplesLarge} (round-robin over the same start CIs); statement timeout {o.CteTimeoutSeconds} s{(o.Provider == DbProvider.Sqlite ? " (sqlite3_interrupt from a timer)" : " (statement_timeout)")}; at most {o.CteBudgetSeconds} s per category after its first sample",
                ["impact directions (from cmdb-relationship-types.yaml)"] = directions.Describe(),
                ["seed"] = o.Seed,
            });

        report.Heading("Impact: bare walk vs recursive CTE");
        report.Paragraph("Latency per impact query in ms. Radius: the CIs the start's failure reaches, itself included (bare walk, " +
                         "no redundancy rules, no status, no depth limit). The CTE counts the same set up to its depth limit; \"agrees\" " +
                         "says whether every measured CTE radius equalled the bare walk's.");
        report.Table(["category", "start CIs", "radius min / median / max", "depth", "bare p50", "bare p99", "bare max", "bare samples",
                "CTE p50", "CTE p99", "CTE max", "CTE samples", "CTE / bare, same starts", "agrees"],
            results.Select(r => (IReadOnlyList<string>)
            [
                $"**{r.Category.Name}**: {r.Category.Description}", Report.N(r.Category.Starts.Count), Summary(r.Category.Radii),
                r.Category.Depths.Count > 0 ? r.Category.Depths.Max().ToString(CultureInfo.InvariantCulture) : "-",
                Ms(r.Bfs.P50), Ms(r.Bfs.P99), Ms(r.Bfs.Max), Report.N(r.Bfs.Count),
                r.Cte is null ? "-" : Ms(r.Cte.P50), r.Cte is null ? "-" : Ms(r.Cte.P99), r.Cte is null ? "-" : Ms(r.Cte.Max),
                $"{r.CteSamples}{(r.CteTimedOut > 0 ? $" (+{r.CteTimedOut} timed out)" : "")}",
                r.Cte is null ? (r.CteTimedOut > 0 ? $"> {o.CteTimeoutSeconds * 1000 / r.Bfs.P50:N0}x" : "-") : $"{r.CteOverBare:N0}x",
                r.Cte is null ? "-" : r.CteMismatches == 0 ? "yes" : $"**no** ({r.CteMismatches})",
            ]));
        report.Paragraph("CTE / bare, same starts: for each CTE sample, its time over the bare walk's p50 for the same start CI; the median of those. " +
                         "The CTE's samples are spread over the category's start CIs (medium: from the smallest radius to the largest).");
        var cteNotes = results.SelectMany(r => r.CteNotes.Select(n => $"{r.Category.Name}: {n}")).ToList();
        if (cteNotes.Count > 0) report.Paragraph("CTE notes: " + string.Join("; ", cteNotes.Take(20)) + (cteNotes.Count > 20 ? $"; and {cteNotes.Count - 20} more" : "") + ".");
        report.Paragraph($"With a p99 of a few samples, the CTE's p99 is its slowest sample. Whole estate: {(results.FirstOrDefault(r => r.Category.Name == "large") is { } large && large.CteSamples + large.CteTimedOut <= 1 ? "a single sample" : "see the samples column")}.");

        // The product's figures and targets.
        var measuredByName = measured.ToDictionary(m => m.C.Name);
        var resultByName = results.ToDictionary(r => r.Category.Name);
        report.Heading("Product: index build from the database");
        var buildOk = build.Builds[^1].TotalSeconds < TargetBuildSeconds;
        var heapOk = build.HeapBytes < TargetBuildMiB * 1048576L;
        report.Paragraph($"`CmdbGraphStore.LoadAsync` into a fresh `CmdbGraphIndex` next to the app's own (the app built its own before Kestrel " +
                         $"took requests: the app's start took {build.AppStart.TotalSeconds:0.0} s in all). Built twice; the first pays for the JIT. Managed memory: " +
                         "`GC.GetTotalMemory` after a full compacting GC, with the index held, minus the same before; the larger of the two builds.");
        report.Table(["measure", "value", "target", "met"], new List<IReadOnlyList<string>>
        {
            new[] { "CIs, relationships (deleted ones too, for as-of reads)", $"{Report.N(build.Nodes)}, {Report.N(build.Edges)}", "", "" },
            new[] { "build, first (JIT) / second", string.Join(" / ", build.Builds.Select(b => $"{b.TotalSeconds:0.00} s")), $"< {TargetBuildSeconds} s", buildOk ? "yes" : "**no**" },
            new[] { "managed memory of the index", $"{build.HeapBytes / 1048576.0:0} MiB ({build.HeapBytes / (double)(build.Nodes + build.Edges):0} bytes per CI + relationship)", $"< {TargetBuildMiB} MiB", heapOk ? "yes" : "**no**" },
            new[] { "the bare walk's arrays, for comparison", $"{graph.Bytes / 1048576.0:0.0} MiB, read + built in {(graph.ReadTime + graph.BuildTime).TotalSeconds:0.00} s", "", "" },
        });

        report.Heading("Product: impact analysis (CmdbGraphIndex.Impact, depth 20)");
        report.Paragraph("The app's own index, the same start CIs and sample plan as the bare walk, one thread. The product's radius differs from " +
                         "the bare walk's: redundancy rules (a cluster is hit only when more of its hosts are than its rule allows) and retired CIs " +
                         "(they carry no impact) stop it, and it keeps each CI's depth and the relationship that reached it (the explanation path). " +
                         "× bare: per start CI, the product's p50 over the bare walk's p50, the median of those. CTE ÷ product: per CTE sample, " +
                         "the CTE's time over the product's p50 for the same start, the median of those.");
        var impactRows = new List<IReadOnlyList<string>>();
        var impactMet = new List<(string, bool)>();
        foreach (var pm in product)
        {
            var bare = measuredByName[pm.Category];
            var vsBare = Median(pm.P50PerStart.Select((p, i) => p / Math.Max(bare.BfsP50PerStart[i], 1e-6)).ToList());
            var cteRes = resultByName[pm.Category];
            var cteOverProduct = Median(cteRes.CteSampleTimes.Select(x => x.Ms / Math.Max(pm.P50PerStart[x.Start], 1e-6)).ToList());
            var limit = pm.Category == "large" ? TargetWholeEstateP99Ms : TargetImpactP99Ms;
            var p99Ok = pm.Stats.P99 < limit;
            var cteOk = cteRes.CteTimedOut > 0 && cteRes.CteSampleTimes.Count == 0 || cteOverProduct >= TargetCteRatio;
            impactMet.Add(($"{pm.Category} p99 < {limit} ms", p99Ok));
            impactMet.Add(($"{pm.Category} ≥ {TargetCteRatio}x faster than the CTE", cteOk));
            impactRows.Add([
                $"**{pm.Category}**", Summary(pm.Radii), Summary(bare.C.Radii), Ms(pm.Stats.P50), Ms(pm.Stats.P99), Ms(pm.Stats.Max), Report.N(pm.Stats.Count),
                $"{vsBare:0.0}x", double.IsNaN(cteOverProduct) ? "-" : $"{cteOverProduct:N0}x",
                $"p99 < {limit} ms: {(p99Ok ? "yes" : "**no**")}; ≥ {TargetCteRatio}x the CTE: {(cteOk ? "yes" : "**no**")}",
            ]);
        }
        report.Table(["category", "radius (product)", "radius (bare)", "p50", "p99", "max", "samples", "× bare", "CTE ÷ product", "targets"], impactRows);
        if (product.Any(p => p.DepthLimited.Any(x => x))) report.Paragraph("Some walks stopped at the depth limit of 20.");

        report.Heading("Product: neighbourhood API through Kestrel");
        report.Paragraph($"As the demo engineer (bearer token), one client, keep-alive; {apiCis.Count} CIs (the {categories.Sum(c => c.Starts.Count)} start CIs " +
                         $"and random ones, none restricted), round-robin; a warm-up pass of one request per CI first. asOf: {30} days before the estate's generation time.");
        var apiMet = new List<(string, bool)>();
        report.Table(["request", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s", "errors", "nodes per answer", "truncated", "bytes", "target"],
            api.Select(a =>
            {
                var limit = a.Name.Contains("asOf", StringComparison.Ordinal) ? TargetGraphAsOfP95Ms : TargetGraphP95Ms;
                var ok = a.Result.Latency.P95 < limit && a.Result.Errors == 0;
                apiMet.Add(($"{a.Name} p95 < {limit} ms", ok));
                return (IReadOnlyList<string>)[$"`{a.Example}`", Report.N(a.Result.Requests), Ms(a.Result.Latency.P50), Ms(a.Result.Latency.P95), Ms(a.Result.Latency.P99),
                    Ms(a.Result.Latency.Max), Report.N(a.Result.Throughput), Report.N(a.Result.Errors), $"{a.MeanNodes:0}", $"{a.Truncated} of {a.Cis}", Report.N(a.MeanBytes),
                    $"p95 < {limit} ms: {(ok ? "yes" : "**no**")}"];
            }));
        var allMet = new[] { ("index build < 10 s", buildOk), ("index memory < 500 MiB", heapOk) }.Concat(impactMet).Concat(apiMet).ToList();
        report.Paragraph("**Targets**: " + string.Join("; ", allMet.Select(m => $"{m.Item1}: {(m.Item2 ? "met" : "**MISSED**")}")) + ".");

        report.Heading("The bare walk's arrays");
        report.Table(["measure", "value"], new[]
        {
            ("live relationships read (SourceId, TargetId, TypeCode)", $"{Report.N(graph.LiveRelationships)} in {graph.ReadTime.TotalSeconds:0.00} s"),
            ("CSR build (offsets + targets, in memory)", $"{graph.BuildTime.TotalMilliseconds:0} ms"),
            ("arrays", $"{graph.Bytes / 1048576.0:0.0} MiB ({Report.N(graph.NodeSlots)} node slots, {Report.N(graph.Edges)} impact edges)"),
            ("managed heap growth after a full GC (arrays + the walk's visited and queue arrays)", $"{(heapAfter - heapBefore) / 1048576.0:0.0} MiB"),
        }.Select(x => (IReadOnlyList<string>)[x.Item1, x.Item2]));

        report.Heading("The generated estate");
        report.Paragraph($"Generated in {generateTime.TotalSeconds:0.0} s; loaded in {loadTime.TotalSeconds:0.0} s " +
                         $"({Report.N(loadedRows / loadTime.TotalSeconds)} rows/s), ids after the app's own rows (CI ids {Id(0)}..{Id(estate.CiCount - 1)}).");
        report.Table(["table", "rows", "seconds", "rows/s"], timings.Select(t => (IReadOnlyList<string>)
            [t.Table, t.Rows > 0 ? Report.N(t.Rows) : "-", t.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), t.Rows > 0 ? Report.N(t.Rows / t.Elapsed.TotalSeconds) : "-"]));
        var shape = Shape(estate);
        report.Table(["measure", "value"], shape.Select(s => (IReadOnlyList<string>)[s.Key, s.Value]));

        report.Heading("CTE query");
        report.Paragraph("```sql\n" + cteSql + "\n```");
        report.Paragraph("Plan:\n\n```\n" + plan + "\n```");

        report.Result("categories", results.Select(r => new Dictionary<string, object?>
        {
            ["category"] = r.Category.Name, ["description"] = r.Category.Description, ["startIds"] = r.Category.Starts, ["radii"] = r.Category.Radii,
            ["depths"] = r.Category.Depths, ["usedBy"] = r.Category.UsedBy,
            ["bare"] = Stats(r.Bfs),
            ["cte"] = r.Cte is null ? null : Stats(r.Cte), ["cteTimedOut"] = r.CteTimedOut, ["cteMismatches"] = r.CteMismatches, ["cteNotes"] = r.CteNotes,
            ["cteOverBareSameStarts"] = r.Cte is null ? null : r.CteOverBare,
        }).ToList());
        report.Result("productIndex", new Dictionary<string, object?>
        {
            ["buildSeconds"] = build.Builds.Select(b => b.TotalSeconds).ToList(), ["heapBytes"] = build.HeapBytes, ["nodes"] = build.Nodes, ["edges"] = build.Edges,
            ["appStartSeconds"] = build.AppStart.TotalSeconds,
        });
        report.Result("productImpact", product.Select(p => new Dictionary<string, object?>
        {
            ["category"] = p.Category, ["radii"] = p.Radii, ["stats"] = Stats(p.Stats), ["p50PerStartMs"] = p.P50PerStart,
        }).ToList());
        report.Result("api", api.Select(a => new Dictionary<string, object?>
        {
            ["request"] = a.Example, ["requests"] = a.Result.Requests, ["errors"] = a.Result.Errors, ["firstError"] = a.Result.FirstError,
            ["p50Ms"] = a.Result.Latency.P50, ["p95Ms"] = a.Result.Latency.P95, ["p99Ms"] = a.Result.Latency.P99, ["maxMs"] = a.Result.Latency.Max,
            ["throughput"] = a.Result.Throughput, ["cis"] = a.Cis, ["meanNodes"] = a.MeanNodes, ["truncated"] = a.Truncated, ["meanBytes"] = a.MeanBytes,
        }).ToList());
        report.Result("bareGraph", new Dictionary<string, object?>
        {
            ["liveRelationships"] = graph.LiveRelationships, ["readSeconds"] = graph.ReadTime.TotalSeconds, ["buildMs"] = graph.BuildTime.TotalMilliseconds,
            ["arrayBytes"] = graph.Bytes, ["heapGrowthBytes"] = heapAfter - heapBefore,
        });
        report.Result("load", timings.Select(t => new Dictionary<string, object?> { ["table"] = t.Table, ["rows"] = t.Rows, ["seconds"] = t.Elapsed.TotalSeconds }).ToList());
        report.Result("generateSeconds", generateTime.TotalSeconds);
        report.Result("dataset", shape);
        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Terminal.WriteLine($"  results: {md}\n           {json}");
        return results.All(r => r.CteMismatches == 0) && api.All(a => a.Result.Errors == 0) ? 0 : 1;
    }

    /// <summary>
    /// Before a category's samples, the walk round-robin over its starts for at least <see cref="WarmUpTime"/> (and three
    /// rounds): a method is compiled for good only after a tiering delay that every newly compiled method in the process
    /// starts again, so with a shorter warm-up the samples measured the JIT's interim code, not a server that has been up.
    /// Bare walk and product alike.
    /// </summary>
    public static void WarmUp(Category c, Action<long> walk)
    {
        var clock = Stopwatch.StartNew();
        for (var k = 0; k < 3 * c.Starts.Count || clock.Elapsed < WarmUpTime; k++) walk(c.Starts[k % c.Starts.Count]);
    }

    public static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(2);

    /// <summary>Walk samples per category: the whole-estate walks take 100-1,000 times longer, so a fifth of them.</summary>
    public static int SamplesFor(Category c, int samples) => c.Name == "large" ? Math.Max(c.Starts.Count, samples / 5) : samples;

    private static Dictionary<string, object?> Stats(LatencyStats s) => new()
    {
        ["samples"] = s.Count, ["p50Ms"] = s.P50, ["p99Ms"] = s.P99, ["maxMs"] = s.Max, ["meanMs"] = s.Mean, ["minMs"] = s.Min,
    };

    /// <summary>
    /// small: application components whose radius is under 100 (most are leaves: their application and its services);
    /// medium: databases with a radius of 1,000-30,000 (the shared ones, used by thousands of components), spread over
    /// that range; large: the core switches and storage arrays (most of the estate).
    /// </summary>
    private static List<Category> ChooseStarts(EstateGenerator.Estate e, BareGraph g, Func<int, long> id, Options o)
    {
        var random = new Random(o.Seed + 1);
        var small = new Category("small", "an application component, radius < 100", [], [], [], []);
        var components = e.OfClass(EstateGenerator.Component).ToArray();
        for (var tries = 0; small.Starts.Count < o.Starts && tries < 100 * o.Starts; tries++)
        {
            var ci = components[random.Next(components.Length)];
            var (r, d) = g.Impact(id(ci));
            if (r >= 100 || small.Starts.Contains(id(ci))) continue;
            small.Starts.Add(id(ci)); small.Radii.Add(r); small.Depths.Add(d); small.UsedBy.Add(g.OutDegree(id(ci)));
        }

        var dbs = e.OfClass(EstateGenerator.Database).Select(ci => (Id: id(ci), Walk: g.Impact(id(ci)), UsedBy: g.OutDegree(id(ci)))).ToList();
        var inRange = dbs.Where(x => x.Walk.Radius is >= 1_000 and <= 30_000).OrderBy(x => x.Walk.Radius).ToList();
        var description = "a database used by many components, radius 1,000-30,000";
        if (inRange.Count == 0)
        {
            inRange = dbs.Where(x => x.Walk.Radius <= 30_000).OrderByDescending(x => x.Walk.Radius).Take(o.Starts).OrderBy(x => x.Walk.Radius).ToList();
            description = "the databases with the largest radius (none reaches 1,000 at this size)";
        }
        var medium = new Category("medium", description, [], [], [], []);
        var pick = Math.Min(o.Starts, inRange.Count);
        for (var k = 0; k < pick; k++)
        {
            var x = inRange[pick == 1 ? 0 : (int)((long)k * (inRange.Count - 1) / (pick - 1))];
            if (medium.Starts.Contains(x.Id)) continue;
            medium.Starts.Add(x.Id); medium.Radii.Add(x.Walk.Radius); medium.Depths.Add(x.Walk.Depth); medium.UsedBy.Add(x.UsedBy);
        }

        var large = new Category("large", "a core switch or storage array", [], [], [], []);
        var shared = e.OfClass(EstateGenerator.NetworkDevice).Where(ci => e.Role[ci] == 0).Concat(e.OfClass(EstateGenerator.Storage)).Take(o.Starts).ToList();
        foreach (var ci in shared)
        {
            var (r, d) = g.Impact(id(ci));
            large.Starts.Add(id(ci)); large.Radii.Add(r); large.Depths.Add(d); large.UsedBy.Add(g.OutDegree(id(ci)));
        }
        large = large with { Description = $"a core switch or storage array ({large.Radii.DefaultIfEmpty().Average() / e.CiCount:P0} of the estate on average)" };
        return [small, medium, large];
    }

    /// <summary>Milliseconds with microseconds shown below 1 ms (the bare walk's small radius takes a few).</summary>
    private static string Ms(double ms) => ms.ToString(ms < 1 ? "0.000" : ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static double Median(List<double> v) => v.Count == 0 ? double.NaN : v.OrderBy(x => x).ElementAt(v.Count / 2);

    private static string Summary(List<int> v)
    {
        if (v.Count == 0) return "-";
        var s = v.OrderBy(x => x).ToList();
        return $"{Report.N(s[0])} / {Report.N(s[s.Count / 2])} / {Report.N(s[^1])}";
    }

    private static Dictionary<string, string> Shape(EstateGenerator.Estate e)
    {
        var n = (double)e.CiCount;
        var shape = new Dictionary<string, string>();
        foreach (var (cls, count) in e.Counts.OrderByDescending(c => c.Value)) shape[$"class {cls}"] = $"{Report.N(count)} ({count / n:P1})";
        var rels = e.Relationships;
        var byType = new Dictionary<string, int>();
        for (var r = 0; r < rels.Count; r++)
            if (rels.DeletedChangeset[r] < 0)
            {
                var key = $"{EstateGenerator.ClassCodes[e.Class[rels.Source[r]]]} {EstateGenerator.TypeCodes[rels.Type[r]]} {EstateGenerator.ClassCodes[e.Class[rels.Target[r]]]}";
                byType[key] = byType.GetValueOrDefault(key) + 1;
            }
        foreach (var (k, v) in byType.OrderByDescending(x => x.Value)) shape[$"live: {k}"] = Report.N(v);
        string[] statusNames = ["Planned", "Operational", "Under maintenance", "Retired"];
        for (var s = 0; s < 4; s++)
        {
            var count = e.Status.Count(x => x == s);
            shape[$"status {statusNames[s]}"] = $"{Report.N(count)} ({count / n:P1})";
        }
        for (var c = 1; c <= 4; c++)
        {
            var count = e.Criticality.Count(x => x == c);
            shape[$"criticality {c}"] = $"{Report.N(count)} ({count / n:P1})";
        }
        shape["restricted"] = Report.N(e.Restricted.Count(x => x));
        foreach (var (k, v) in e.Notes) shape[k] = v;
        return shape;
    }
}
