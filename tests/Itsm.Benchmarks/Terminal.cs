namespace Itsm.Benchmarks;

/// <summary>
/// The benchmark's own progress lines. The app logs to the console as shipped (Information, a line per request);
/// in this process that console is redirected to a file (<see cref="CaptureAppConsole"/>), as a container runtime or
/// journald would take a service's stdout, so the terminal shows only these lines.
/// </summary>
public static class Terminal
{
    private static TextWriter _out = Console.Out;

    public static string? AppConsoleFile { get; private set; }

    public static void WriteLine(string line) => _out.WriteLine(line);

    /// <summary>Sends Console.Out (the app's Serilog console sink) to a file; this class keeps the real stdout.</summary>
    public static void CaptureAppConsole()
    {
        if (AppConsoleFile is not null) return;
        _out = Console.Out;
        var dir = Path.Combine(Path.GetTempPath(), "itsm-bench");
        Directory.CreateDirectory(dir);
        AppConsoleFile = Path.Combine(dir, $"app-console-{Environment.ProcessId}.log");
        Console.SetOut(TextWriter.Synchronized(new StreamWriter(AppConsoleFile, append: false) { AutoFlush = true }));
    }
}
