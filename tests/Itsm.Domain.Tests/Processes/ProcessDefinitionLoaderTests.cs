using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;
using static Itsm.Domain.Tests.Processes.SampleYaml;

namespace Itsm.Domain.Tests.Processes;

/// <summary>YAML-shape faults are reported by the loader with the file, the line and what is wrong.</summary>
public class ProcessDefinitionLoaderTests
{
    [Test]
    public void Parse_WhenFlowListUnclosed_ReportsSyntaxErrorAtItsLine()
    {
        var yaml = With("from: [open]", "from: [open");
        Assert.That(ErrorLines(yaml), Is.EqualTo(new[]
        {
            $"test.yaml:{LineOf(yaml, "from: [open")}: YAML syntax error: the file ends before a [ ... ] or {{ ... }} opened here is closed.",
        }));
    }

    [Test]
    public void Parse_WhenFlowListUnclosedOnLastLine_ReportsParserMessageWithoutItsPositionPrefix()
    {
        var lines = ErrorLines("process: x\nkind: Incident\nstates: [a, b\n");
        Assert.That(lines, Is.EqualTo(new[] { "test.yaml:4: YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'." }));
    }

    [Test]
    public void Parse_WhenQuoteUnclosed_ReportsSyntaxErrorNearItsLine()
    {
        var yaml = With("label: Finish", "label: \"Finish");
        var line = ErrorLines(yaml).Single();
        Assert.That(line, Does.Match(@"^test\.yaml:(\d+): YAML syntax error: "));
        var reported = int.Parse(System.Text.RegularExpressions.Regex.Match(line, @":(\d+):").Groups[1].Value);
        Assert.That(reported, Is.GreaterThanOrEqualTo(LineOf(yaml, "label: \"Finish")));
    }

    [Test]
    public void Parse_WhenKeyDuplicated_ReportsSyntaxErrorAtKey()
    {
        var yaml = With("    to: waiting", "    to: waiting\n    to: done");
        AssertError(yaml, "to: done", "YAML syntax error: Duplicate key");
    }

    [Test]
    public void Parse_WhenFileEmpty_SaysSo()
    {
        Assert.That(ErrorLines("# nothing but a comment\n"), Is.EqualTo(new[] { "test.yaml:1: the file is empty." }));
    }

    [Test]
    public void Parse_WhenKeyUnknown_NamesKeyAtItsLineAndListsKnownKeys()
    {
        var yaml = With("    label: Wait\n", "    lable: Wait\n");
        AssertError(yaml, "lable: Wait", "unknown key 'lable' in a transition. Known keys: name, label, from, to, roles, guards, required-fields, optional-fields, effects.");
    }

    [Test]
    public void Parse_WhenTopLevelKeyUnknown_NamesKey()
    {
        var yaml = With("reopen-window-days: 3", "reopen-window: 3");
        AssertError(yaml, "reopen-window: 3", "unknown key 'reopen-window' in the process definition.");
    }

    [Test]
    public void Parse_WhenRequiredKeyMissing_NamesKeyAtEntry()
    {
        var yaml = With("    to: waiting\n", "");
        AssertError(yaml, "- name: wait", "a transition has no 'to'; it is required.");
    }

    [Test]
    public void Parse_WhenListGivenAsSingleValue_SaysListExpected()
    {
        var yaml = With("from: [open]", "from: open");
        AssertError(yaml, "from: open", "'from' must be a list such as [a, b], not the value 'open'.");
    }

    [Test]
    public void Parse_WhenSingleValueGivenAsList_SaysSingleValueExpected()
    {
        var yaml = With("to: waiting", "to: [waiting]");
        AssertError(yaml, "to: [waiting]", "'to' must be a single value, not a list.");
    }

    [Test]
    public void Parse_WhenStatesIsNotAList_SaysListOfEntriesExpected()
    {
        var yaml = "process: x\nkind: Incident\ninitial-state: a\nstates: a\ntransitions: []\n";
        AssertError(yaml, "states: a", "'states' must be a list of entries");
    }

    [Test]
    public void Parse_WhenBooleanIsNotTrueOrFalse_NamesValue()
    {
        var yaml = With("active: true\n    final: false\n  - id: done", "active: yes\n    final: false\n  - id: done");
        AssertError(yaml, "active: yes", "'active' must be true or false, not 'yes'.");
    }

    [Test]
    public void Parse_WhenNumberIsNotWhole_NamesValue()
    {
        var yaml = With("after-days: 3", "after-days: three");
        AssertError(yaml, "after-days: three", "'after-days' must be a whole number, not 'three'.");
    }

    [Test]
    public void Parse_WhenReopenWindowNegative_SaysZeroOrMore()
    {
        var yaml = With("reopen-window-days: 3", "reopen-window-days: -1");
        AssertError(yaml, "reopen-window-days: -1", "'reopen-window-days' must be 0 or more, not -1.");
    }

    [Test]
    public void Parse_WhenTriggerUnknown_ListsKnownTriggers()
    {
        var yaml = With("trigger: timer", "trigger: cron");
        var lines = ErrorLines(yaml);
        AssertError(yaml, "trigger: cron", "unknown trigger 'cron'. Known triggers: caller-comment, timer, problem-fixed, approvals-granted, approval-rejected, change-replanned.");
        Assert.That(lines, Has.Length.EqualTo(1), "no follow-on error about after-days");
    }

    [Test]
    public void Parse_WhenTicketKindUnknown_ListsKnownKinds()
    {
        var yaml = With("kind: Incident", "kind: Incidnet");
        AssertError(yaml, "kind: Incidnet", "unknown ticket kind 'Incidnet'. Known kinds: Incident, Problem, Change, Request, Task.");
    }

    [Test]
    public void Parse_WhenTicketKindIsANumber_RefusesIt()
    {
        var yaml = With("kind: Incident", "kind: 1");
        AssertError(yaml, "kind: 1", "unknown ticket kind '1'.");
    }

    [Test]
    public void Parse_WhenHoldReasonDuplicated_PointsAtSecond()
    {
        var yaml = With("    label: Awaiting Caller", "    label: Awaiting Caller\n  - id: awaiting-caller\n    label: Again");
        Assert.That(ErrorLines(yaml), Has.Some.EqualTo(
            $"test.yaml:{LineOf(yaml, "label: Again") - 1}: 'awaiting-caller' appears twice in hold-reasons (first at line {LineOf(yaml, "- id: awaiting-caller")})."));
    }

    [Test]
    public void Parse_WhenSeveralFaults_ListsEveryOneInLineOrder()
    {
        var yaml = With("kind: Incident", "kind: Bug").Replace("guards: [has-assignee]", "guards: [nope]");
        var lines = ErrorLines(yaml);

        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.StartWith($"test.yaml:{LineOf(yaml, "kind: Bug")}: unknown ticket kind 'Bug'"));
        Assert.That(lines[1], Does.StartWith($"test.yaml:{LineOf(yaml, "- name: finish")}: transition 'finish' names unknown guard 'nope'"));
    }

    [Test]
    public void ParsePriorityMatrix_WhenShippedTable_EqualsItilDefault()
    {
        var matrix = ProcessDefinitionLoader.ParsePriorityMatrix("m.yaml",
            File.ReadAllText(Path.Combine(ProcessesDirectory, ProcessDefinitionLoader.PriorityMatrixFile)));

        foreach (var impact in Enum.GetValues<Impact>())
            foreach (var urgency in Enum.GetValues<Urgency>())
                Assert.That(matrix.PriorityOf(impact, urgency), Is.EqualTo(PriorityMatrix.Default.PriorityOf(impact, urgency)),
                    $"impact {impact} × urgency {urgency}");
    }

    [TestCase("impact:\n  1: [P1, P2, P3]\n  2: [P2, P3, P9]\n  3: [P3, P4, P4]\n", "P9", "'P9' is not a priority; use P1, P2, P3 or P4.")]
    [TestCase("impact:\n  1: [P1, P2, P3]\n  2: [P2, P3]\n  3: [P3, P4, P4]\n", "2: [P2, P3]", "impact 2 must list 3 priorities")]
    [TestCase("impact:\n  1: [P1, P2, P3]\n  4: [P2, P3, P4]\n  3: [P3, P4, P4]\n", "4: [", "unknown impact '4'; impacts are 1, 2 and 3.")]
    [TestCase("impact:\n  1: [P1, P2, P3]\n  3: [P3, P4, P4]\n", "impact:", "the matrix has no row for impact 2")]
    [TestCase("impacts:\n  1: [P1, P2, P3]\n", "impacts:", "unknown key 'impacts' in the priority matrix.")]
    public void ParsePriorityMatrix_WhenFaulty_NamesFileLineAndFault(string yaml, string marker, string fault)
    {
        var ex = Assert.Throws<ProcessDefinitionException>(() => ProcessDefinitionLoader.ParsePriorityMatrix("m.yaml", yaml));
        Assert.That(ex!.Message.Split(Environment.NewLine), Has.Some.StartsWith($"m.yaml:{LineOf(yaml, marker)}: ").And.Contains(fault));
    }

    [Test]
    public void LoadDirectory_WhenMatrixFileMissing_SaysItIsRequired()
    {
        using var dir = new TempDirectory();
        dir.Write("sample.yaml", Valid);

        var ex = Assert.Throws<ProcessDefinitionException>(() => ProcessDefinitionLoader.LoadDirectory(dir.Path));

        Assert.That(ex!.Message, Is.EqualTo($"{dir.Name}/priority-matrix.yaml:1: the priority matrix file is missing; every process needs it."));
    }

    [Test]
    public void LoadDirectory_WhenMatrixGiven_AppliesItToEveryProcess()
    {
        using var dir = new TempDirectory();
        dir.Write("priority-matrix.yaml", "impact:\n  1: [P4, P4, P4]\n  2: [P4, P4, P4]\n  3: [P4, P4, P4]\n");
        dir.Write("a.yaml", Valid);
        dir.Write("b.yaml", Valid.Replace("kind: Incident", "kind: Problem").Replace("process: sample", "process: other"));

        var processes = ProcessDefinitionLoader.LoadDirectory(dir.Path);

        Assert.That(processes.Select(p => p.Kind), Is.EqualTo(new[] { TicketKind.Incident, TicketKind.Problem }));
        Assert.That(processes.Select(p => p.PriorityMatrix.PriorityOf(Impact.High, Urgency.High)), Is.All.EqualTo(Priority.Low));
        Assert.That(processes[0].File, Is.EqualTo($"{dir.Name}/a.yaml"));
    }

    [Test]
    public void LoadDirectory_WhenTwoFilesGovernOneKind_NamesBothFiles()
    {
        using var dir = new TempDirectory();
        dir.Write("priority-matrix.yaml", "impact:\n  1: [P1, P2, P3]\n  2: [P2, P3, P4]\n  3: [P3, P4, P4]\n");
        dir.Write("a.yaml", Valid);
        dir.Write("b.yaml", Valid.Replace("process: sample", "process: copy"));

        var ex = Assert.Throws<ProcessDefinitionException>(() => ProcessDefinitionLoader.LoadDirectory(dir.Path));

        Assert.That(ex!.Message, Is.EqualTo($"{dir.Name}/b.yaml:{LineOf(Valid, "kind:")}: kind Incident is already governed by {dir.Name}/a.yaml."));
    }

    [Test]
    public void LoadDirectory_WhenSeveralFilesFaulty_ReportsEveryFile()
    {
        using var dir = new TempDirectory();
        dir.Write("priority-matrix.yaml", "impact:\n  1: [P1, P2, P3]\n");
        dir.Write("a.yaml", With("to: waiting", "to: nowhere"));

        var ex = Assert.Throws<ProcessDefinitionException>(() => ProcessDefinitionLoader.LoadDirectory(dir.Path));

        Assert.That(ex!.Errors.Select(e => e.Location.File).Distinct(),
            Is.EquivalentTo(new[] { $"{dir.Name}/priority-matrix.yaml", $"{dir.Name}/a.yaml" }));
    }

    [Test]
    public void FileProcessCatalog_WhenBuiltFromShippedDirectory_FindsIncidentProcess()
    {
        var catalog = new FileProcessCatalog(ProcessesDirectory);

        Assert.That(catalog.For(TicketKind.Incident).Name, Is.EqualTo("incident"));
        Assert.That(() => catalog.For(TicketKind.Task), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("kind: Task"));
    }

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Name = "procs-" + Guid.NewGuid().ToString("N")[..8];
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), Name);
            Directory.CreateDirectory(Path);
        }

        public string Name { get; }
        public string Path { get; }

        public void Write(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
