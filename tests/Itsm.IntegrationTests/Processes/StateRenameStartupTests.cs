using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.Infrastructure.Processes;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Itsm.IntegrationTests.Processes;

/// <summary>
/// A state renamed in itil-processes/ while tickets are in it: start-up refuses, counting those tickets per kind and
/// state, and changes nothing; with <c>state-renames</c> it moves them, each move in the ticket's history.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class StateRenameStartupTests(DbProvider provider)
{
    private ItsmApp _app = null!;
    private string _inProgress = null!;
    private string _onHold = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);

    // Each test gets tickets of its own in the states about to disappear (another test may have moved earlier ones).
    [SetUp]
    public async Task TicketsInDoomedStates()
    {
        _inProgress = await _app.LogIncidentAsync("agent", new { shortDescription = "Rename: in progress" });
        _onHold = await _app.LogIncidentAsync("agent", new { shortDescription = "Rename: on hold" });
        // Put straight into the states about to disappear; how they got there does not matter here.
        await SetStateAsync(_inProgress, "in-progress");
        await SetStateAsync(_onHold, "on-hold");
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task Start_WhenTicketsAreInStatesTheDefinitionNoLongerHas_RefusesCountingThemPerKindAndStateAndMovesNothing()
    {
        var inProgress = await CountAsync("in-progress");
        var onHold = await CountAsync("on-hold");
        var dir = Processes(yaml => yaml.Replace("in-progress", "working").Replace("on-hold", "paused"));

        using var renamed = _app.WithWebHostBuilder(b => b.UseSetting("Processes:Directory", dir));
        var error = Assert.Throws<ProcessDefinitionException>(() => renamed.CreateClient())!;

        var folder = Path.GetFileName(dir);
        static string Stranded(int count, string state) =>
            $"{(count == 1 ? "1 incident ticket is" : $"{count} incident tickets are")} in state '{state}', which the definition no longer has; " +
            $"add it back or map it in `state-renames:` (e.g. `state-renames: {{ {state}: <new state> }}`).";
        Assert.That(error.Errors.Select(e => e.Message), Is.EquivalentTo(new[] { Stranded(inProgress, "in-progress"), Stranded(onHold, "on-hold") }));
        Assert.That(error.Message, Does.StartWith($"{folder}/incident.yaml:"), "the error names the file (and the line of its states)");
        Assert.That(await CountAsync("in-progress"), Is.EqualTo(inProgress), "nothing moved");
        Assert.That(await CountAsync("on-hold"), Is.EqualTo(onHold), "nothing moved");
    }

    [Test]
    public async Task Start_WhenStateRenamesMapsTheGoneState_MovesItsTicketsAndAuditsEachMove()
    {
        var inProgress = await CountAsync("in-progress");
        var versionBefore = (await _app.StateAsync(_inProgress)).Version;
        var historyBefore = (await _app.StateAsync(_inProgress)).History;
        var dir = Processes(yaml => yaml.Replace("in-progress", "working").Replace("In Progress", "Working")
                                    + "\nstate-renames:\n  in-progress: working\n");

        using var renamed = _app.WithWebHostBuilder(b => b.UseSetting("Processes:Directory", dir));
        var client = await SignInAsync(renamed, "admin");

        Assert.That(await CountAsync("in-progress"), Is.Zero);
        Assert.That(await CountAsync("working"), Is.EqualTo(inProgress));
        var incident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{_inProgress}");
        Assert.That(incident.GetProperty("state").GetString(), Is.EqualTo("working"));
        Assert.That(incident.GetProperty("stateLabel").GetString(), Is.EqualTo("Working"));
        Assert.That(incident.GetProperty("version").GetInt32(), Is.EqualTo(versionBefore + 1), "the move is a change: old ETags no longer match");
        var history = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{_inProgress}/history");
        Assert.That(history.GetArrayLength(), Is.EqualTo(historyBefore + 1));
        var move = history.EnumerateArray().Single(h => h.GetProperty("field").GetString() == "state" && h.GetProperty("oldValue").GetString() == "in-progress");
        Assert.That(move.GetProperty("newValue").GetString(), Is.EqualTo("Working"));
        Assert.That(move.GetProperty("actorName").GetString(), Is.EqualTo("system"));
        var other = await client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{_onHold}");
        Assert.That(other.GetProperty("state").GetString(), Is.EqualTo("on-hold"), "tickets in states that still exist stay");
    }

    private async Task SetStateAsync(string number, string state) =>
        await _app.WithDbAsync(db => db.Tickets.Where(t => t.Number == number).ExecuteUpdateAsync(s => s.SetProperty(t => t.State, state)));

    private Task<int> CountAsync(string state) => _app.WithDbAsync(db => db.Tickets.CountAsync(t => t.State == state));

    /// <summary>A process folder with the shipped priority matrix and the shipped incident.yaml, edited.</summary>
    private static string Processes(Func<string, string> edit)
    {
        var dir = Path.Combine(Path.GetTempPath(), "itsm-tests", "renamed-processes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var shipped = Path.Combine(Repository.Root, "itil-processes");
        File.Copy(Path.Combine(shipped, "priority-matrix.yaml"), Path.Combine(dir, "priority-matrix.yaml"));
        File.WriteAllText(Path.Combine(dir, "incident.yaml"), edit(File.ReadAllText(Path.Combine(shipped, "incident.yaml"))));
        return dir;
    }

    private static async Task<HttpClient> SignInAsync(WebApplicationFactory<Program> app, string user)
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName = user, password = ItsmApp.Password });
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
