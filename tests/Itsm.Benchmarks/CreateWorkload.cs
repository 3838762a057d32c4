using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Benchmarks;

/// <summary>
/// The incident creates of the create and scale scenarios: half the clients are the demo agent (logging for a
/// caller, one in four assigned to themselves at once), half the demo requester (logging for themselves). Bodies
/// are made before measuring, so the client spends no time on them in the loop.
/// </summary>
public sealed class CreateWorkload
{
    private readonly byte[][] _agentBodies;
    private readonly byte[][] _requesterBodies;
    private readonly bool _idempotencyKeys;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];

    private CreateWorkload(byte[][] agentBodies, byte[][] requesterBodies, bool idempotencyKeys) =>
        (_agentBodies, _requesterBodies, _idempotencyKeys) = (agentBodies, requesterBodies, idempotencyKeys);

    public static async Task<CreateWorkload> PrepareAsync(BenchApp app, Options o, int bodies)
    {
        var reference = await Sessions.ReadReferenceAsync(app);
        var agent = reference.Users.Single(u => u.Person.UserName == "agent").Person;
        var callers = reference.Users.Where(u => u.Roles.Contains("Requester")).Select(u => u.Person).ToList();
        var requester = callers.Single(p => p.UserName == "requester");
        var serviceDesk = reference.Groups.Single(g => g.Name == "Service Desk").Id;
        var generator = new DeskGenerator(reference, o.Seed);
        var random = new Random(o.Seed);
        var agentBodies = new byte[bodies][];
        var requesterBodies = new byte[bodies][];
        for (var i = 0; i < bodies; i++)
        {
            agentBodies[i] = Encoding.UTF8.GetBytes(generator.AgentBody(random.Pick(callers), agent, serviceDesk));
            requesterBodies[i] = Encoding.UTF8.GetBytes(generator.RequesterBody(requester));
        }
        return new CreateWorkload(agentBodies, requesterBodies, o.IdempotencyKeys);
    }

    /// <summary>One token and one connection per client; even clients are the agent, odd ones the requester.</summary>
    public static async Task<List<HttpClient>> ClientsAsync(Uri baseAddress, int count)
    {
        var tokens = new Dictionary<string, string>();
        var http = new List<HttpClient>();
        for (var c = 0; c < count; c++)
        {
            var user = c % 2 == 0 ? "agent" : "requester";
            http.Add(Sessions.ApiClient(baseAddress, await Sessions.TokenAsync(baseAddress, user)));
        }
        return http;
    }

    /// <summary>Create request number <paramref name="n"/> (bodies are reused past the end) for a client.</summary>
    public HttpRequestMessage Create(int n, int client)
    {
        var bodies = client % 2 == 0 ? _agentBodies : _requesterBodies;
        var content = new ByteArrayContent(bodies[n % bodies.Length]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = content };
        if (_idempotencyKeys) message.Headers.Add("Idempotency-Key", $"bench-{_runId}-{n}");
        return message;
    }

    public static async Task<int> CountIncidentsAsync(BenchApp app)
    {
        var (scope, db) = app.OpenDb();
        using (scope) return await db.Tickets.CountAsync(t => t.Kind == TicketKind.Incident);
    }

    public static async Task<LoadResult> MeasureAsync(string name, IReadOnlyList<HttpClient> http, int n, Func<int, int, HttpRequestMessage> make, HttpStatusCode expected)
    {
        var r = await LoadRunner.RunAsync(name, http, n, make, expected);
        Terminal.WriteLine($"  {name}: {Report.N(r.Throughput)}/s, p50 {Report.Ms(r.Latency.P50)} p95 {Report.Ms(r.Latency.P95)} p99 {Report.Ms(r.Latency.P99)} max {Report.Ms(r.Latency.Max)} ms, {r.Errors} errors, CPU {Report.Ms(r.CpuMsPerRequest)} ms/req, {r.CoresBusy:0.00} cores");
        if (r.FirstError is not null) Terminal.WriteLine("    first error: " + r.FirstError);
        return r;
    }

    /// <summary>The run's row in a results table.</summary>
    public static IReadOnlyList<string> Row(LoadResult r) =>
    [
        r.Name, Report.N(r.Requests), Report.N(r.Errors), r.Elapsed.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
        Report.N(r.Throughput), Report.Ms(r.Latency.P50), Report.Ms(r.Latency.P95), Report.Ms(r.Latency.P99), Report.Ms(r.Latency.Max),
        Report.Ms(r.CpuMsPerRequest), r.CoresBusy.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
    ];

    public static readonly IReadOnlyList<string> RowHeaders =
        ["run", "requests", "errors", "wall s", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "CPU ms/req", "cores busy"];

    public static Dictionary<string, object?> Json(LoadResult r) => new()
    {
        ["requests"] = r.Requests, ["clients"] = r.Clients, ["errors"] = r.Errors, ["elapsedSeconds"] = r.Elapsed.TotalSeconds,
        ["throughputPerSecond"] = r.Throughput, ["p50Ms"] = r.Latency.P50, ["p95Ms"] = r.Latency.P95, ["p99Ms"] = r.Latency.P99,
        ["maxMs"] = r.Latency.Max, ["meanMs"] = r.Latency.Mean, ["cpuMsPerRequest"] = r.CpuMsPerRequest, ["coresBusy"] = r.CoresBusy,
        ["statusCounts"] = r.StatusCounts.ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Value),
        ["firstError"] = r.FirstError,
    };
}
