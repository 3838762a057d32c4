using System.Diagnostics;
using System.Net;

namespace Itsm.Benchmarks;

/// <summary>Latency percentiles from every sample (nearest rank on the sorted samples), in milliseconds.</summary>
public sealed class LatencyStats
{
    private readonly double[] _sortedMs;

    public LatencyStats(IEnumerable<long> stopwatchTicks)
    {
        _sortedMs = stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(_sortedMs);
    }

    public int Count => _sortedMs.Length;
    public double Mean => _sortedMs.Length == 0 ? 0 : _sortedMs.Average();
    public double Min => _sortedMs.Length == 0 ? 0 : _sortedMs[0];
    public double Max => _sortedMs.Length == 0 ? 0 : _sortedMs[^1];
    public double P50 => Percentile(50);
    public double P95 => Percentile(95);
    public double P99 => Percentile(99);

    public double Percentile(double p)
    {
        if (_sortedMs.Length == 0) return 0;
        var rank = (int)Math.Ceiling(p / 100.0 * _sortedMs.Length);
        return _sortedMs[Math.Clamp(rank - 1, 0, _sortedMs.Length - 1)];
    }
}

/// <summary>What one measured run gave.</summary>
public sealed class LoadResult
{
    public required string Name { get; init; }
    public required int Requests { get; init; }
    public required int Clients { get; init; }
    public required TimeSpan Elapsed { get; init; }
    public required LatencyStats Latency { get; init; }
    public required int Errors { get; init; }
    public required IReadOnlyDictionary<int, int> StatusCounts { get; init; }
    public string? FirstError { get; init; }
    /// <summary>CPU time of this process (app and clients together) during the run.</summary>
    public required TimeSpan Cpu { get; init; }
    public double Throughput => Requests / Elapsed.TotalSeconds;
    public double CpuMsPerRequest => Cpu.TotalMilliseconds / Requests;
    /// <summary>Cores this process kept busy on average (of Environment.ProcessorCount).</summary>
    public double CoresBusy => Cpu.TotalSeconds / Elapsed.TotalSeconds;
}

/// <summary>
/// A closed loop: each client sends its next request when the previous answer has been read in full, until the
/// requests are used up. Latency is taken with Stopwatch timestamps around SendAsync (which, by default, reads the
/// whole body), throughput is requests over the wall time from the first send to the last answer.
/// </summary>
public static class LoadRunner
{
    /// <summary>One HttpClient per client loop, each with its own connection (HTTP/1.1 keep-alive).</summary>
    public static HttpClient NewClient(Uri baseAddress, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            MaxConnectionsPerServer = 4,
        })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <param name="request">Makes request number i (0-based); called on the client's own loop.</param>
    /// <param name="expected">The status that counts as success.</param>
    public static async Task<LoadResult> RunAsync(string name, IReadOnlyList<HttpClient> clients, int total,
        Func<int, int, HttpRequestMessage> request, HttpStatusCode expected)
    {
        var latencies = new long[total];
        var statuses = new int[total];
        string? firstError = null;
        var next = -1;
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var loops = clients.Select((client, clientIndex) => Task.Run(async () =>
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= total) return;
                using var message = request(i, clientIndex);
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                    latencies[i] = Stopwatch.GetTimestamp() - t0;
                    statuses[i] = (int)response.StatusCode;
                    if (response.StatusCode != expected && firstError is null)
                        Interlocked.CompareExchange(ref firstError,
                            $"{(int)response.StatusCode} {message.Method} {message.RequestUri}: {Truncate(await response.Content.ReadAsStringAsync(), 600)}", null);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    latencies[i] = Stopwatch.GetTimestamp() - t0;
                    statuses[i] = 0;
                    Interlocked.CompareExchange(ref firstError, $"{message.Method} {message.RequestUri}: {e.GetType().Name}: {e.Message}", null);
                }
            }
        })).ToList();
        await Task.WhenAll(loops);
        var elapsed = Stopwatch.GetElapsedTime(started);
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new LoadResult
        {
            Name = name,
            Requests = total,
            Clients = clients.Count,
            Elapsed = elapsed,
            Latency = new LatencyStats(latencies),
            Errors = statuses.Count(s => s != (int)expected),
            StatusCounts = statuses.GroupBy(s => s).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()),
            FirstError = firstError,
            Cpu = cpu,
        };
    }

    public static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
