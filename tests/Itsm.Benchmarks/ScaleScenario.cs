using System.Diagnostics;
using System.Net;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Benchmarks;

/// <summary>
/// Scaling out: two app instances on one PostgreSQL database, each driven by its own closed-loop clients, against one
/// instance measured in the same run (the two kinds of run alternate, so that the shared machine's noise falls on both). The figure is
/// the pair's total creation rate over the single instance's: on these 2 cores a second instance adds no CPU, so the
/// most it can show is that instances do not get in each other's way (target ≥ 0.9); on separate machines the same
/// absence of contention is what lets the total grow.
/// Both instances are hosts in this one process (as the clients are), each with its own connection pool and caches.
/// </summary>
public static class ScaleScenario
{
    public const double TargetRatio = 0.9;
    private const int Slices = 2;

    public static async Task<int> RunAsync(Options o)
    {
        if (o.Provider != DbProvider.Postgres)
            throw new UsageException("scale runs on PostgreSQL only (SQLite is for a single instance): add --provider postgres.");
        var start = Report.Start.Now();
        var clients = o.ClientsFor("scale");
        var requests = o.RequestsGiven ?? 3_000;
        // Longer than create's: with 500 per instance, CPU per create was still falling through the measured runs (JIT tiers).
        var warmup = o.WarmupGiven ?? 2_000;
        Terminal.WriteLine($"scale on {o.ProviderName}: {requests:N0} creates per instance and run, {clients} clients per instance, {warmup:N0} warm-up per instance");
        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };
        using var a = new BenchApp(db, o, "a");
        using var b = new BenchApp(db, o, "b");
        var started = Stopwatch.GetTimestamp();
        var addressA = a.Start();
        var addressB = b.Start();
        Terminal.WriteLine($"  instances up on {addressA} and {addressB} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s ({db.Description})");

        var incidentsBefore = await CreateWorkload.CountIncidentsAsync(a);
        var workload = await CreateWorkload.PrepareAsync(a, o, warmup + (3 * Slices + 1) * requests);
        var httpA = await CreateWorkload.ClientsAsync(addressA, clients);
        var httpB = await CreateWorkload.ClientsAsync(addressB, clients);
        var both = httpA.Concat(httpB).ToList();
        var next = 0;
        // Bodies follow on from run to run; the client index only picks agent or requester.
        Func<int, int, HttpRequestMessage> Creates(int offset) => (i, c) => workload.Create(offset + i, c);

        var warmCreated = 0;
        for (var round = 0; round < 2 && warmup > 0; round++)
        {
            foreach (var (name, http) in new[] { ("a", httpA), ("b", httpB) })
            {
                var w = await LoadRunner.RunAsync("warm-up " + name, http, Math.Max(1, warmup / 2), Creates(next), HttpStatusCode.Created);
                next += w.Requests;
                warmCreated += w.StatusCounts.GetValueOrDefault(201);
                Terminal.WriteLine($"  warm-up {round + 1} on {name}: {w.Throughput:N0}/s ({w.Errors} errors)");
                if (w.FirstError is not null) Terminal.WriteLine("    first error: " + w.FirstError);
            }
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        var runs = new List<LoadResult>();
        var lockWaits = new List<double>();
        async Task Run(string name, List<HttpClient> http, int n)
        {
            using var sampler = new LockWaitSampler(db.ConnectionString);
            runs.Add(await CreateWorkload.MeasureAsync(name, http, n, Creates(next), HttpStatusCode.Created));
            lockWaits.Add(await sampler.StopAsync());
            Terminal.WriteLine($"    sessions waiting for a lock: {lockWaits[^1]:0.00} on average");
            next += n;
        }
        // Alternated, so that other work on the shared machine falls on both kinds of run alike.
        for (var slice = 0; slice < Slices; slice++)
        {
            await Run($"one instance ({slice + 1})", httpA, requests);
            await Run($"two instances ({slice + 1})", both, 2 * requests);
        }
        await Run($"one instance ({Slices + 1})", httpA, requests);
        foreach (var c in both) c.Dispose();

        var singles = runs.Where(r => r.Clients == clients).ToList();
        var pairs = runs.Where(r => r.Clients == 2 * clients).ToList();
        var single = singles.Average(r => r.Throughput);
        var pairRate = pairs.Average(r => r.Throughput);
        var ratio = pairRate / single;
        var ratioOk = ratio >= TargetRatio;
        var created = runs.Sum(r => r.StatusCounts.GetValueOrDefault(201)) + warmCreated;
        var incidentsAfter = await CreateWorkload.CountIncidentsAsync(a);
        var stored = incidentsAfter - incidentsBefore;
        var numbers = await NumbersAsync(a);

        var report = new Report(start, "scale", o.ProviderName, "Two app instances on one PostgreSQL database: incident creation",
            new Dictionary<string, object?>
            {
                ["scenario"] = $"scale: POST /api/v1/incidents on one instance and on two instances together, alternated ({Slices + 1} one-instance runs, {Slices} two-instance runs)",
                ["provider"] = "PostgreSQL (fresh database, shared by both instances)",
                ["database server"] = db.ServerVersion(),
                ["instances"] = "two hosts of the real app in this process, each on its own Kestrel port, connection pool (application name) and caches",
                ["clients per instance"] = clients,
                ["creates per run"] = $"{requests} on one instance; {2 * requests} on two (half each, as the clients take them)",
                ["warm-up (not counted)"] = $"{warmup} creates per instance, in two rounds with a pause",
                ["idempotency keys"] = o.IdempotencyKeys ? "a unique Idempotency-Key per request" : "none",
                ["logging"] = CreateScenario.LoggingNote,
            });
        report.Heading("Results");
        report.Table([.. CreateWorkload.RowHeaders, "waiting for a lock"],
            runs.Select((r, i) => (IReadOnlyList<string>)[.. CreateWorkload.Row(r), lockWaits[i].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)]));
        report.Paragraph("Waiting for a lock: the mean number of the database's sessions waiting for a lock (pg_stat_activity, wait_event_type " +
                         "'Lock', sampled every 20 ms on a connection of its own). It does not depend on how busy the machine is: creates that " +
                         "queue for the same row show here, whatever the throughput.");
        report.Paragraph(
            $"**Ratio**: two instances together create **{ratio:0.00}×** what one instance does in the same run " +
            $"({Report.N(pairRate)} vs {Report.N(single)} incidents/s: the mean of the {pairs.Count} two-instance runs over the mean of the " +
            $"{singles.Count} one-instance runs they alternate with); p99 {Report.Ms(pairs.Average(r => r.Latency.P99))} vs {Report.Ms(singles.Average(r => r.Latency.P99))} ms; " +
            $"CPU per create {Report.Ms(pairs.Average(r => r.CpuMsPerRequest))} vs {Report.Ms(singles.Average(r => r.CpuMsPerRequest))} ms.");
        var load = double.TryParse(start.LoadAverage.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : 0;
        if (load > Environment.ProcessorCount)
            report.Paragraph($"**Caution**: the load average was {start.LoadAverage} at the start on {Environment.ProcessorCount} cores. When other work " +
                             "saturates the machine, 16 client loops win a larger share of the CPU than 8, which flatters the two-instance runs; read " +
                             "this ratio against a run on a quiet machine.");
        report.Paragraph($"**Target**: ≥ {TargetRatio:0.0}× one instance: **{(ratioOk ? "met" : "MISSED")}** ({ratio:0.00}×).");
        report.Paragraph($"**Check**: {Report.N(created)} creates acknowledged with 201 (warm-up included), {Report.N(stored)} new incidents in the database" +
                         (created == stored ? " — every acknowledged create is stored" : " — MISMATCH") +
                         $"; incident numbers {numbers.Min}–{numbers.Max}: {Report.N(numbers.Count)} numbers, {Report.N(numbers.Distinct)} distinct, " +
                         $"{Report.N(numbers.Max - numbers.Min + 1 - numbers.Distinct)} unused in that range.");
        var statusLines = runs.Select(r => $"{r.Name}: " + string.Join(", ", r.StatusCounts.Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture))} × {s.Value}"))
                                           + (r.FirstError is null ? "" : $" — first error: `{r.FirstError.ReplaceLineEndings(" ")}`"));
        report.Paragraph("Status codes: " + string.Join("; ", statusLines) + ".");
        for (var i = 0; i < runs.Count; i++)
            report.Result(runs[i].Name, new Dictionary<string, object?>(CreateWorkload.Json(runs[i])) { ["sessionsWaitingForALock"] = lockWaits[i] });
        report.Result("twoOverOneInstance", ratio);
        report.Result("target", new Dictionary<string, object?> { ["minRatio"] = TargetRatio, ["met"] = ratioOk });
        report.Result("acknowledgedCreates", created);
        report.Result("storedIncidents", stored);
        report.Result("numbers", new Dictionary<string, object?> { ["count"] = numbers.Count, ["distinct"] = numbers.Distinct, ["min"] = numbers.Min, ["max"] = numbers.Max });

        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Terminal.WriteLine($"  one instance {Report.N(single)}/s, two instances {Report.N(pairRate)}/s: {ratio:0.00}× (target {TargetRatio:0.0}×: {(ratioOk ? "met" : "MISSED")})");
        Terminal.WriteLine($"  results: {md}\n           {json}");
        return runs.Sum(r => r.Errors) == 0 && created == stored && numbers.Count == numbers.Distinct ? 0 : 1;
    }

    private static async Task<(int Count, int Distinct, long Min, long Max)> NumbersAsync(BenchApp app)
    {
        var (scope, db) = app.OpenDb();
        using (scope)
        {
            var numbers = (await db.Tickets.AsNoTracking().Where(t => t.Kind == TicketKind.Incident).Select(t => t.Number).ToListAsync())
                .Select(n => TicketNumber.TryParse(n, out var parsed) ? parsed.Sequence : -1).ToList();
            return numbers.Count == 0 ? (0, 0, 0, 0) : (numbers.Count, numbers.Distinct().Count(), numbers.Min(), numbers.Max());
        }
    }
}

/// <summary>Samples how many of the database's sessions wait for a lock, every 20 ms, until stopped.</summary>
internal sealed class LockWaitSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<double> _task;

    public LockWaitSampler(string connectionString) => _task = Task.Run(() => SampleAsync(connectionString, _stop.Token));

    public async Task<double> StopAsync()
    {
        await _stop.CancelAsync();
        return await _task;
    }

    private static async Task<double> SampleAsync(string connectionString, CancellationToken ct)
    {
        // Its own pool (application name), so it never takes a connection from the instances.
        var cs = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "itsm-bench-sampler" }.ConnectionString;
        await using var connection = new Npgsql.NpgsqlConnection(cs);
        await connection.OpenAsync(CancellationToken.None);
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        long sum = 0, samples = 0;
        while (!ct.IsCancellationRequested)
        {
            sum += (long)(await cmd.ExecuteScalarAsync(CancellationToken.None))!;
            samples++;
            try { await Task.Delay(20, ct); } catch (OperationCanceledException) { break; }
        }
        return samples == 0 ? 0 : (double)sum / samples;
    }

    public void Dispose() => _stop.Dispose();
}
