using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;
using static Itsm.Domain.Tests.Processes.SampleYaml;

namespace Itsm.Domain.Tests.Processes;

/// <summary><c>state-renames</c>: read as a map of gone state → existing state, each side checked.</summary>
public class StateRenamesTests
{
    private static string WithRenames(string renames) => Valid + "\nstate-renames:\n" + renames;

    [Test]
    public void Parse_WhenStateRenamesMapsGoneStatesToExistingOnes_ReadsThemInOrder()
    {
        var yaml = WithRenames("  in-progress: open\n  paused: waiting\n");
        var p = ProcessDefinitionLoader.Parse("test.yaml", yaml, PriorityMatrix.Default);
        Assert.That(p.StateRenames.Select(r => (r.From, r.To)), Is.EqualTo(new[] { ("in-progress", "open"), ("paused", "waiting") }));
        Assert.That(p.StateRenames[0].Location.Line, Is.EqualTo(LineOf(yaml, "in-progress: open")));
    }

    [Test]
    public void Parse_WhenStateRenamesIsAbsentOrEmpty_HasNone()
    {
        Assert.That(ProcessDefinitionLoader.Parse("test.yaml", Valid, PriorityMatrix.Default).StateRenames, Is.Empty);
        Assert.That(ProcessDefinitionLoader.Parse("test.yaml", Valid + "\nstate-renames:\n", PriorityMatrix.Default).StateRenames, Is.Empty);
    }

    [Test]
    public void Parse_WhenStateRenamesTargetIsNotAState_NamesItAndListsTheStates()
    {
        var yaml = WithRenames("  in-progress: working\n");
        AssertError(yaml, "in-progress: working", "state-renames maps 'in-progress' to unknown state 'working'. Known states: open, waiting, done.");
    }

    [Test]
    public void Parse_WhenStateRenamesSourceIsStillAState_RefusesIt()
    {
        var yaml = WithRenames("  waiting: open\n");
        AssertError(yaml, "waiting: open", "state-renames maps 'waiting', which is still a state; only a state the definition no longer has can be renamed.");
    }

    [Test]
    public void Parse_WhenStateRenamesIsAList_SaysItMustBeAMap()
    {
        var yaml = Valid + "\nstate-renames: [in-progress, open]\n";
        AssertError(yaml, "state-renames:", "'state-renames' must map old state ids to new ones, e.g. { in-progress: working }, not a list.");
    }

    [Test]
    public void Parse_WhenStateRenamesMapsToAList_SaysOneStateId()
    {
        var yaml = WithRenames("  in-progress: [open, waiting]\n");
        AssertError(yaml, "in-progress: [open", "'state-renames' must map 'in-progress' to one state id, not a list.");
    }

    [Test]
    public void Validate_WhenRenamedIdIsNotKebabCase_SaysSo()
    {
        var yaml = WithRenames("  In_Progress: open\n");
        AssertError(yaml, "In_Progress: open", "renamed state id 'In_Progress' must be kebab-case");
    }
}
