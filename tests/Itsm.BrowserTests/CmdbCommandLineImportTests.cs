using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.BrowserTests;

/// <summary>
/// `make import FILE=…` as an engineer runs it: scripts/cmdb-import.sh against the real app on a real port, signing in
/// with the password from the environment; a second run of the same file changes nothing; a bad row fails the run.
/// </summary>
[TestFixture]
public sealed class CmdbCommandLineImportTests
{
    private BrowserHost _host = null!;
    private string _dir = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await BrowserHost.StartAsync();
        _dir = Directory.CreateTempSubdirectory("itsm-cli-import").FullName;
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task MakeImport_WhenRunTwiceWithTheSameFile_CreatesThenChangesNothing()
    {
        var m = Guid.NewGuid().ToString("N")[..6];
        var file = Write("estate.json", new
        {
            source = "cli-" + m,
            cis = new object[]
            {
                new { key = "svc", @class = "business-service", name = $"Billing {m}" },
                new { key = "vm", @class = "virtual-machine", name = $"vm-bill-{m}", attributes = new { hostname = $"vm-bill-{m}" } },
            },
            relationships = new[] { new { source = "svc", type = "depends-on", target = "vm" } },
        });

        var first = await RunAsync(file);
        var again = await RunAsync(file);

        Assert.That(first.Code, Is.Zero, first.Output);
        Assert.That(Json(first.Output).GetProperty("created").GetInt32(), Is.EqualTo(2), first.Output);
        Assert.That(again.Code, Is.Zero, again.Output);
        Assert.That((Json(again.Output).GetProperty("created").GetInt32(), Json(again.Output).GetProperty("unchanged").GetInt32()), Is.EqualTo((0, 2)), again.Output);
        var api = await _host.ApiAsync("agent");
        var found = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cis?name={Uri.EscapeDataString($"vm-bill-{m}")}");
        Assert.That(found.GetProperty("total").GetInt32(), Is.EqualTo(1), "the CI is in the CMDB");
    }

    [Test]
    public async Task MakeImport_WhenARowIsRejected_PrintsTheReasonAndFails()
    {
        var file = Write("bad.json", new { source = "cli-bad", cis = new[] { new { key = "x", @class = "no-such-class", name = "x" } } });

        var run = await RunAsync(file);

        Assert.That(run.Code, Is.Not.Zero, "make fails when the script does: " + run.Output);
        Assert.That(run.Output, Does.Contain("no-such-class"), "the rejection's reason is printed");
    }

    [Test]
    public async Task MakeImport_WhenThePasswordIsWrong_FailsWithoutImporting()
    {
        var file = Write("ok.json", new { source = "cli-pw", cis = new[] { new { key = "y", @class = "business-service", name = "Never imported" } } });

        var run = await RunAsync(file, password: "wrong-password");

        Assert.That(run.Code, Is.Not.Zero, run.Output);
        Assert.That(run.Output, Does.Contain("sign-in refused"));
    }

    private string Write(string name, object document)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, JsonSerializer.Serialize(document));
        return path;
    }

    private static JsonElement Json(string output) => JsonDocument.Parse(output[output.IndexOf('{')..(output.LastIndexOf('}') + 1)]).RootElement;

    /// <summary>`make import FILE=…` with the password in ITSM_PASSWORD, as a script would; stdout and stderr together.</summary>
    private async Task<(int Code, string Output)> RunAsync(string file, string password = ItsmApp.Password)
    {
        var start = new ProcessStartInfo("make", ["-s", "import", $"FILE={file}", $"URL={_host.BaseUrl}"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ITSM_USER"] = "engineer";
        start.Environment["ITSM_PASSWORD"] = password;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
