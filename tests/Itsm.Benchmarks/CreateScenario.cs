using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Benchmarks;

/// <summary>
/// Incident creation: POST /api/v1/incidents with bearer tokens from N closed-loop clients, half signed in as the
/// demo agent (logging for a caller, one in four assigned to themselves at once), half as the demo requester
/// (logging for themselves through the portal). The baseline is GET /health run by the same clients and loop,
/// before and after, so the figure reads as a fraction of what this machine and Kestrel do at all.
/// </summary>
public static class CreateScenario
{
    public const double TargetThroughput = 1_000;
    public const double TargetP99Ms = 50;

    public static async Task<int> RunAsync(Options o)
    {
        var start = Report.Start.Now();
        var clients = o.ClientsFor("create");
        Console.WriteLine($"create on {o.ProviderName}: {o.Requests:N0} requests, {clients} clients, {o.Warmup:N0} warm-up");
        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };
        using var app = new BenchApp(db, o);
        var started = Stopwatch.GetTimestamp();
        var baseAddress = app.Start();
        Console.WriteLine($"  app up on {baseAddress} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s ({db.Description})");

        var reference = await Sessions.ReadReferenceAsync(app);
        var agent = reference.Users.Single(u => u.Person.UserName == "agent").Person;
        var callers = reference.Users.Where(u => u.Roles.Contains("Requester")).Select(u => u.Person).ToList();
        var requester = callers.Single(p => p.UserName == "requester");
        var serviceDesk = reference.Groups.Single(g => g.Name == "Service Desk").Id;
        var incidentsBefore = await CountIncidentsAsync(app);

        // One token and one connection per client; even clients are the agent, odd ones the requester.
        var tokens = new Dictionary<string, string>();
        var http = new List<HttpClient>();
        for (var c = 0; c < clients; c++)
        {
            var user = c % 2 == 0 ? "agent" : "requester";
            http.Add(Sessions.ApiClient(baseAddress, await Sessions.TokenAsync(baseAddress, user)));
        }

        // Bodies made before measuring, so the client spends no time on them in the loop.
        var generator = new DeskGenerator(reference, o.Seed);
        var total = o.Warmup + o.Requests;
        var random = new Random(o.Seed);
        var agentBodies = new byte[total][];
        var requesterBodies = new byte[total][];
        for (var i = 0; i < total; i++)
        {
            agentBodies[i] = Encoding.UTF8.GetBytes(generator.AgentBody(random.Pick(callers), agent, serviceDesk));
            requesterBodies[i] = Encoding.UTF8.GetBytes(generator.RequesterBody(requester));
        }
        var runId = Guid.NewGuid().ToString("N")[..8];
        HttpRequestMessage Create(int offset, int i, int client)
        {
            var n = offset + i;
            var content = new ByteArrayContent(client % 2 == 0 ? agentBodies[n] : requesterBodies[n]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = content };
            if (o.IdempotencyKeys) message.Headers.Add("Idempotency-Key", $"bench-{runId}-{n}");
            return message;
        }
        static HttpRequestMessage Health(int i, int client) => new(HttpMethod.Get, "/health");
        static HttpRequestMessage Floor(int i, int client) => new(HttpMethod.Get, BenchApp.FloorPath);

        // Warm-up, not counted: two rounds of every request kind with pauses, so that the JIT has moved the hot code
        // to its optimised tier before measuring (the first round alone leaves much of it at tier 0).
        var warmCreated = 0;
        if (o.Warmup > 0)
        {
            var half = Math.Max(1, o.Warmup / 2);
            for (var round = 0; round < 2; round++)
            {
                var w1 = await LoadRunner.RunAsync("warm-up create", http, round == 0 ? half : o.Warmup - half, (i, c) => Create(round * half, i, c), HttpStatusCode.Created);
                var w2 = await LoadRunner.RunAsync("warm-up health", http, Math.Max(o.Warmup, 2000), Health, HttpStatusCode.OK);
                var w3 = await LoadRunner.RunAsync("warm-up floor", http, Math.Max(o.Warmup, 2000), Floor, HttpStatusCode.OK);
                warmCreated += w1.StatusCounts.GetValueOrDefault(201);
                Console.WriteLine($"  warm-up {round + 1}: create {w1.Throughput:N0}/s ({w1.Errors} errors), health {w2.Throughput:N0}/s, floor {w3.Throughput:N0}/s");
                if (w1.Errors > 0) Console.WriteLine("  first error: " + w1.FirstError);
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }
        }
        var groupCommit = app.Services.GetRequiredService<SqliteGroupCommit>();
        var commitsBefore = groupCommit.Totals;
        var runs = new List<LoadResult>
        {
            await Measure("GET /health (baseline, before)", http, o.Requests, Health, HttpStatusCode.OK),
            await Measure("POST /api/v1/incidents", http, o.Requests, (i, c) => Create(o.Warmup, i, c), HttpStatusCode.Created),
            await Measure("GET /health (baseline, after)", http, o.Requests, Health, HttpStatusCode.OK),
            await Measure("Kestrel floor (no-op before the app's pipeline)", http, o.Requests, Floor, HttpStatusCode.OK),
        };
        foreach (var c in http) c.Dispose();
        var commitsAfter = groupCommit.Totals;
        var (batches, units) = (commitsAfter.Batches - commitsBefore.Batches, commitsAfter.Units - commitsBefore.Units);
        var groupCommitLine = o.Provider == DbProvider.Sqlite
            ? $"{Report.N(units)} units of work in {Report.N(batches)} commits, {(batches == 0 ? 0 : (double)units / batches):0.0} per commit on average"
            : "not used (PostgreSQL)";
        Console.WriteLine("  group commit: " + groupCommitLine);

        var create = runs[1];
        var baseline = (runs[0].Throughput + runs[2].Throughput) / 2;
        var baselineP50 = (runs[0].Latency.P50 + runs[2].Latency.P50) / 2;
        var baselineCpu = (runs[0].CpuMsPerRequest + runs[2].CpuMsPerRequest) / 2;
        var incidentsAfter = await CountIncidentsAsync(app);
        var created = create.StatusCounts.GetValueOrDefault(201) + warmCreated;
        var stored = incidentsAfter - incidentsBefore;
        var throughputOk = create.Throughput >= TargetThroughput;
        var p99Ok = create.Latency.P99 < TargetP99Ms;

        var report = new Report(start, "create", o.ProviderName, $"Incident creation through the API, {(o.Provider == DbProvider.Sqlite ? "SQLite" : "PostgreSQL")}",
            new Dictionary<string, object?>
            {
                ["scenario"] = "create: POST /api/v1/incidents, bearer tokens, closed loop",
                ["provider"] = o.Provider == DbProvider.Sqlite ? $"SQLite (fresh file, WAL, synchronous={o.SqliteSynchronous})" : "PostgreSQL (fresh database)",
                ["database server"] = db.ServerVersion(),
                ["clients"] = clients,
                ["requests per run"] = o.Requests,
                ["warm-up (not counted)"] = $"{o.Warmup} creates and {2 * Math.Max(o.Warmup, 2000)} each of health and floor requests, in two rounds with pauses",
                ["idempotency keys"] = o.IdempotencyKeys ? "a unique Idempotency-Key per request" : "none",
                ["SQLite group commit during the runs"] = groupCommitLine,
                ["callers"] = "even clients: the demo agent (for a caller; 1 in 4 self-assigned); odd clients: the demo requester",
            });
        report.Heading("Results");
        report.Table(["run", "requests", "errors", "wall s", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "CPU ms/req", "cores busy"],
            runs.Select(r => (IReadOnlyList<string>)[r.Name, Report.N(r.Requests), Report.N(r.Errors), r.Elapsed.TotalSeconds.ToString("0.00"),
                Report.N(r.Throughput), Report.Ms(r.Latency.P50), Report.Ms(r.Latency.P95), Report.Ms(r.Latency.P99), Report.Ms(r.Latency.Max),
                Report.Ms(r.CpuMsPerRequest), r.CoresBusy.ToString("0.00")]));
        report.Paragraph("CPU ms/req is this process's CPU time (the app and the client loops together) over the requests: unlike req/s it " +
                         "hardly moves when other work shares the machine. Cores busy: the same over the wall time.");
        report.Paragraph(
            $"**Ratio**: creation runs at **{create.Throughput / baseline:P0}** of the baseline's throughput " +
            $"({Report.N(create.Throughput)} vs {Report.N(baseline)} req/s, mean of before and after); " +
            $"its median latency is **{create.Latency.P50 / baselineP50:0.0}×** the baseline's ({Report.Ms(create.Latency.P50)} vs {Report.Ms(baselineP50)} ms); " +
            $"it costs **{create.CpuMsPerRequest / baselineCpu:0.0}×** the baseline's CPU per request ({Report.Ms(create.CpuMsPerRequest)} vs {Report.Ms(baselineCpu)} ms).");
        report.Paragraph(
            $"**Targets** (SQLite, DESIGN.md §6 and the issue): ≥ {TargetThroughput:N0} incidents/s: **{(throughputOk ? "met" : "MISSED")}** ({Report.N(create.Throughput)}/s); " +
            $"p99 < {TargetP99Ms} ms: **{(p99Ok ? "met" : "MISSED")}** ({Report.Ms(create.Latency.P99)} ms)." +
            (o.Provider == DbProvider.Postgres ? " (Shown for comparison: the targets are set for SQLite.)" : ""));
        report.Paragraph($"**Check**: {Report.N(created)} creates acknowledged with 201 (warm-up included), {Report.N(stored)} new incidents in the database" +
                         (created == stored ? " — every acknowledged create is stored." : " — MISMATCH."));
        var statusLines = runs.Select(r => $"{r.Name}: " + string.Join(", ", r.StatusCounts.Select(s => $"{(s.Key == 0 ? "no answer" : s.Key.ToString())} × {s.Value}"))
                                           + (r.FirstError is null ? "" : $" — first error: `{r.FirstError.ReplaceLineEndings(" ")}`"));
        report.Paragraph("Status codes: " + string.Join("; ", statusLines) + ".");

        foreach (var r in runs)
            report.Result(r.Name, new Dictionary<string, object?>
            {
                ["requests"] = r.Requests, ["clients"] = r.Clients, ["errors"] = r.Errors, ["elapsedSeconds"] = r.Elapsed.TotalSeconds,
                ["throughputPerSecond"] = r.Throughput, ["p50Ms"] = r.Latency.P50, ["p95Ms"] = r.Latency.P95, ["p99Ms"] = r.Latency.P99,
                ["maxMs"] = r.Latency.Max, ["meanMs"] = r.Latency.Mean, ["cpuMsPerRequest"] = r.CpuMsPerRequest, ["coresBusy"] = r.CoresBusy, ["statusCounts"] = r.StatusCounts.ToDictionary(s => s.Key.ToString(), s => s.Value),
                ["firstError"] = r.FirstError,
            });
        report.Result("throughputRatioToBaseline", create.Throughput / baseline);
        report.Result("p50RatioToBaseline", create.Latency.P50 / baselineP50);
        report.Result("cpuRatioToBaseline", create.CpuMsPerRequest / baselineCpu);
        report.Result("targets", new Dictionary<string, object?>
        {
            ["minThroughputPerSecond"] = TargetThroughput, ["throughputMet"] = throughputOk, ["maxP99Ms"] = TargetP99Ms, ["p99Met"] = p99Ok,
        });
        report.Result("acknowledgedCreates", created);
        report.Result("storedIncidents", stored);

        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Console.WriteLine($"  create {Report.N(create.Throughput)}/s p50 {Report.Ms(create.Latency.P50)} p99 {Report.Ms(create.Latency.P99)} ms; " +
                          $"baseline {Report.N(baseline)}/s; ratio {create.Throughput / baseline:P0}; targets {(throughputOk && p99Ok ? "met" : "MISSED")}");
        Console.WriteLine($"  results: {md}\n           {json}");
        return runs.Sum(r => r.Errors) == 0 && created == stored ? 0 : 1;
    }

    private static async Task<LoadResult> Measure(string name, IReadOnlyList<HttpClient> http, int n, Func<int, int, HttpRequestMessage> make, HttpStatusCode expected)
    {
        var r = await LoadRunner.RunAsync(name, http, n, make, expected);
        Console.WriteLine($"  {name}: {Report.N(r.Throughput)}/s, p50 {Report.Ms(r.Latency.P50)} p95 {Report.Ms(r.Latency.P95)} p99 {Report.Ms(r.Latency.P99)} max {Report.Ms(r.Latency.Max)} ms, {r.Errors} errors, CPU {Report.Ms(r.CpuMsPerRequest)} ms/req, {r.CoresBusy:0.00} cores");
        if (r.FirstError is not null) Console.WriteLine("    first error: " + r.FirstError);
        return r;
    }

    private static async Task<int> CountIncidentsAsync(BenchApp app)
    {
        var (scope, db) = app.OpenDb();
        using (scope) return await db.Tickets.CountAsync(t => t.Kind == TicketKind.Incident);
    }
}
