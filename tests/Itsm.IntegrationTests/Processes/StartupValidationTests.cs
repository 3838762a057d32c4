using Itsm.Infrastructure.Processes;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Itsm.IntegrationTests.Processes;

/// <summary>The app refuses to start on an invalid process definition, naming the file, line and fault.</summary>
[TestFixture]
public sealed class StartupValidationTests
{
    [Test]
    public void Start_WhenIncidentDefinitionNamesUnknownGuard_RefusesWithFileLineAndFault()
    {
        var dir = Path.Combine(Path.GetTempPath(), "itsm-tests", "bad-processes-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var shipped = Path.Combine(Repository.Root, "itil-processes");
        File.Copy(Path.Combine(shipped, "priority-matrix.yaml"), Path.Combine(dir, "priority-matrix.yaml"));
        var lines = File.ReadAllLines(Path.Combine(shipped, "incident.yaml")).ToList();
        var guardLine = lines.FindIndex(l => l.Contains("guards: [has-assignee]"));
        Assert.That(guardLine, Is.GreaterThan(0), "the shipped definition has a has-assignee guard to break");
        lines[guardLine] = lines[guardLine].Replace("has-assignee", "has-a-unicorn");
        File.WriteAllLines(Path.Combine(dir, "incident.yaml"), lines);

        using var app = new ItsmApp(DbProvider.Sqlite);
        using var broken = app.WithWebHostBuilder(b => b.UseSetting("Processes:Directory", dir));
        var error = Assert.Throws<ProcessDefinitionException>(() => broken.CreateClient());

        // The transition entry that holds the guard starts a few lines above it; the message names file and fault.
        Assert.That(error!.Message, Does.Contain("incident.yaml:"));
        Assert.That(error.Message, Does.Contain("has-a-unicorn"));
        var reported = error.Errors.Single(e => e.Message.Contains("has-a-unicorn")).Location.Line;
        Assert.That(reported, Is.InRange(guardLine - 8, guardLine + 1), "the error points at the transition that names the guard");
    }
}
