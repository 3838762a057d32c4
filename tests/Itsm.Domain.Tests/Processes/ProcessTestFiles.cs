using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;

namespace Itsm.Domain.Tests.Processes;

/// <summary>Finds the shipped definitions and checks "file:line: fault" messages.</summary>
internal static class ProcessTestFiles
{
    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln")))
                    return dir.FullName;
            throw new InvalidOperationException("Itsm.sln not found above " + TestContext.CurrentContext.TestDirectory);
        }
    }

    public static string ProcessesDirectory => Path.Combine(RepoRoot, "itil-processes");

    public static ProcessDefinition ShippedIncident() =>
        ProcessDefinitionLoader.LoadDirectory(ProcessesDirectory).Single(p => p.Kind == TicketKind.Incident);

    /// <summary>The 1-based line of the first line of <paramref name="yaml"/> containing <paramref name="marker"/>.</summary>
    public static int LineOf(string yaml, string marker)
    {
        var lines = yaml.Replace("\r\n", "\n").Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        if (index < 0) throw new ArgumentException($"'{marker}' is not in the YAML.", nameof(marker));
        return index + 1;
    }

    /// <summary>Parses, expecting failure; returns the errors' message lines.</summary>
    public static string[] ErrorLines(string yaml, string file = "test.yaml")
    {
        var ex = Assert.Throws<ProcessDefinitionException>(() => ProcessDefinitionLoader.Parse(file, yaml, PriorityMatrix.Default));
        return ex!.Message.Split(Environment.NewLine);
    }

    /// <summary>Asserts that one error line names the file, the line of <paramref name="marker"/> and the fault.</summary>
    public static void AssertError(string yaml, string marker, string fault)
    {
        var expectedPrefix = $"test.yaml:{LineOf(yaml, marker)}: ";
        var lines = ErrorLines(yaml);
        Assert.That(lines, Has.Some.StartsWith(expectedPrefix).And.Contains(fault),
            $"expected an error at {expectedPrefix}containing \"{fault}\"");
    }
}
