using System.Diagnostics;

namespace Itsm.IntegrationTests.Tooling;

/// <summary>
/// scripts/test-summary.sh, the last line of `make test`, on real .trx files (tests/…/Tooling/trx: a run whose tests
/// all passed, and one where a fixture's OneTimeTearDown threw, as the PostgreSQL teardown once did). A red run must
/// never read "N passed, 0 failed".
/// </summary>
public sealed class TestSummaryScriptTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "itsm-tests", "summary-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Summary_WhenAllTestsPassed_PrintsZeroFailedAndSucceeds()
    {
        Sample("ok", "Itsm.Domain.Tests");
        var (code, lines) = Run(_dir);
        Assert.That(lines, Is.EqualTo(new[] { "2 passed, 0 failed" }));
        Assert.That(code, Is.Zero);
    }

    [Test]
    public void Summary_WhenAFixtureTeardownThrew_CountsItAsFailedAndPrintsIt()
    {
        Sample("teardown-error", "Itsm.IntegrationTests");
        var (code, lines) = Run(_dir);
        Assert.That(lines[^1], Is.EqualTo("2 passed, 1 failed"), string.Join("\n", lines));
        Assert.That(lines, Has.Some.Contains("TearDown failed for test fixture T.F(\"b\")"));
        Assert.That(lines, Has.Some.Contains("42501"));
        Assert.That(code, Is.EqualTo(1));
    }

    [Test]
    public void Summary_WhenDotnetTestFailedButItsResultsShowNoFailure_CountsOneFailure()
    {
        Sample("ok", "Itsm.IntegrationTests");
        File.WriteAllText(Path.Combine(_dir, "Itsm.IntegrationTests.exitcode"), "1\n");
        File.WriteAllText(Path.Combine(_dir, "Itsm.BrowserTests.exitcode"), "0\n");
        var (code, lines) = Run(_dir);
        Assert.That(lines[^1], Is.EqualTo("2 passed, 1 failed"), string.Join("\n", lines));
        Assert.That(lines, Has.Some.Contains("Itsm.IntegrationTests: dotnet test exited 1"));
        Assert.That(code, Is.EqualTo(1));
    }

    [Test]
    public void Summary_WhenTheRunCrashedBeforeWritingResults_CountsOneFailure()
    {
        File.WriteAllText(Path.Combine(_dir, "Itsm.IntegrationTests.exitcode"), "134\n");
        var (code, lines) = Run(_dir);
        Assert.That(lines[^1], Is.EqualTo("0 passed, 1 failed"), string.Join("\n", lines));
        Assert.That(code, Is.EqualTo(1));
    }

    private void Sample(string sample, string project) =>
        File.Copy(Path.Combine(RepoRoot(), "tests", "Itsm.IntegrationTests", "Tooling", "trx", sample + ".trx.xml"),
            Path.Combine(_dir, project + ".trx"));

    private static (int Code, string[] Lines) Run(string dir)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot(), "scripts", "test-summary.sh"), dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.That(error, Is.Empty, "the script writes nothing to stderr");
        return (process.ExitCode, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Itsm.sln not found above the test directory.");
    }
}
