using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Itsm.Benchmarks;

/// <summary>
/// A results file pair: benchmarks/results/&lt;yyyy-MM-dd-HHmm&gt;-&lt;scenario&gt;-&lt;provider&gt;.md for people and .json
/// with the same figures for tools. Both record the machine, the commit and the load on the machine.
/// </summary>
public sealed class Report
{
    private readonly StringBuilder _md = new();
    private readonly Dictionary<string, object?> _json = [];
    private readonly Dictionary<string, object?> _results = [];
    private readonly string _scenario;
    private readonly string _provider;
    private readonly DateTimeOffset _started;
    private readonly string _loadBefore;

    /// <summary>When a run starts and how busy the machine is then; taken before the work, given to the report after it.</summary>
    public sealed record Start(DateTimeOffset At, string LoadAverage)
    {
        public static Start Now() => new(DateTimeOffset.Now, Report.LoadAverage());
    }

    public Report(Start start, string scenario, string provider, string title, IReadOnlyDictionary<string, object?> parameters)
    {
        _started = start.At;
        _loadBefore = start.LoadAverage;
        _scenario = scenario;
        _provider = provider;
        _json["scenario"] = scenario;
        _json["provider"] = provider;
        _json["started"] = _started.ToString("O", CultureInfo.InvariantCulture);
        _json["parameters"] = parameters;
        _md.AppendLine(CultureInfo.InvariantCulture, $"# {title}").AppendLine();
        var built = AppCommit();
        _md.AppendLine(CultureInfo.InvariantCulture,
            $"Run {_started:yyyy-MM-dd HH:mm zzz}; the app was built from commit {(built.Length > 7 ? built[..7] : built)}{(SourceIsDirty() ? " (the working tree has uncommitted changes in src/)" : "")}.").AppendLine();
        _md.AppendLine("| parameter | value |").AppendLine("|---|---|");
        foreach (var (k, v) in parameters) _md.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {v} |");
        _md.AppendLine();
    }

    public void Heading(string text) => _md.AppendLine(CultureInfo.InvariantCulture, $"## {text}").AppendLine();

    public void Paragraph(string text) => _md.AppendLine(text).AppendLine();

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _md.AppendLine("| " + string.Join(" | ", headers) + " |");
        _md.AppendLine("|" + string.Join("|", headers.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in rows) _md.AppendLine("| " + string.Join(" | ", row) + " |");
        _md.AppendLine();
    }

    public void Result(string key, object? value) => _results[key] = value;

    /// <summary>Writes both files and returns their paths.</summary>
    public (string Markdown, string Json) Write(string directory, IReadOnlyDictionary<string, object?> environmentExtras)
    {
        var env = Environment(environmentExtras);
        _json["environment"] = env;
        _json["results"] = _results;
        _md.AppendLine("## Machine").AppendLine();
        _md.AppendLine("| | |").AppendLine("|---|---|");
        foreach (var (k, v) in env) _md.AppendLine(CultureInfo.InvariantCulture, $"| {k} | {v} |");
        Directory.CreateDirectory(directory);
        // Never overwrite: two runs started in the same minute get -2, -3, … .
        var stem = Path.Combine(directory, $"{_started:yyyy-MM-dd-HHmm}-{_scenario}-{_provider}");
        for (var n = 2; File.Exists(stem + ".md") || File.Exists(stem + ".json"); n++)
            stem = Path.Combine(directory, $"{_started:yyyy-MM-dd-HHmm}-{_scenario}-{_provider}-{n}");
        File.WriteAllText(stem + ".md", _md.ToString());
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(_json, new JsonSerializerOptions { WriteIndented = true }));
        return (stem + ".md", stem + ".json");
    }

    private Dictionary<string, object?> Environment(IReadOnlyDictionary<string, object?> extras)
    {
        var env = new Dictionary<string, object?>
        {
            ["app built from commit"] = AppCommit(),
            ["HEAD at run time"] = Git("rev-parse HEAD"),
            ["uncommitted changes in src/"] = SourceIsDirty(),
            ["cpu"] = CpuModel(),
            ["logical cores"] = System.Environment.ProcessorCount,
            ["os"] = RuntimeInformation.OSDescription,
            [".NET"] = RuntimeInformation.FrameworkDescription,
            ["gc"] = GCSettings.IsServerGC ? "server" : "workstation",
            ["load average before (1/5/15 min)"] = _loadBefore,
            ["load average after (1/5/15 min)"] = LoadAverage(),
        };
        foreach (var (k, v) in extras) env[k] = v;
        return env;
    }

    private static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "n/a"; }
        catch (UnauthorizedAccessException) { return "n/a"; }
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                   ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException) { return RuntimeInformation.ProcessArchitecture.ToString(); }
    }

    /// <summary>The commit the measured app was built from (the SDK stamps it into the informational version).</summary>
    private static string AppCommit()
    {
        var version = typeof(global::Program).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[(plus + 1)..] : "unknown";
    }

    private static bool SourceIsDirty() => Git("status --porcelain -- src").Length > 0;

    private static string Git(string args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("git", $"-C \"{RepoPaths.Root}\" {args}")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            })!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : "unknown";
        }
        catch (System.ComponentModel.Win32Exception) { return "unknown"; }
    }

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
    public static string N(double n) => n.ToString("#,0", CultureInfo.InvariantCulture);
}
