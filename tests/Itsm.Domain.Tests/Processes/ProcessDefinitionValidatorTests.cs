using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;
using static Itsm.Domain.Tests.Processes.SampleYaml;

namespace Itsm.Domain.Tests.Processes;

/// <summary>Each lifecycle fault, written in YAML, is reported with the file, its line and what is wrong.</summary>
public class ProcessDefinitionValidatorTests
{
    [Test]
    public void Parse_WhenSampleIsValid_ReturnsDefinition()
    {
        var p = ProcessDefinitionLoader.Parse("test.yaml", Valid, PriorityMatrix.Default);

        Assert.That(p.States.Select(s => s.Id), Is.EqualTo(new[] { "open", "waiting", "done" }));
        Assert.That(p.Transition("finish")!.From, Is.EqualTo(new[] { "open", "waiting" }));
        Assert.That(p.AutomaticTransitions[1].AfterDays, Is.EqualTo(3));
        Assert.That(p.ReopenWindowDays, Is.EqualTo(3));
        Assert.That(p.Transition("finish")!.Location, Is.EqualTo(new SourceLocation("test.yaml", LineOf(Valid, "- name: finish"))));
    }

    [Test]
    public void Validate_WhenInitialStateUnknown_ReportsItsLine()
    {
        var yaml = With("initial-state: open", "initial-state: opne");
        AssertError(yaml, "initial-state: opne", "initial-state names unknown state 'opne'. Known states: open, waiting, done.");
    }

    [Test]
    public void Validate_WhenFromStateUnknown_NamesTransitionAndState()
    {
        var yaml = With("from: [open]", "from: [opened]");
        AssertError(yaml, "- name: wait", "transition 'wait' starts from unknown state 'opened'");
    }

    [Test]
    public void Validate_WhenToStateUnknown_NamesTransitionAndState()
    {
        var yaml = With("to: waiting", "to: paused");
        AssertError(yaml, "- name: wait", "transition 'wait' leads to unknown state 'paused'");
    }

    [Test]
    public void Validate_WhenAutomaticFromUnknown_NamesAutomaticTransition()
    {
        var yaml = With("from: waiting\n    to: done", "from: pending\n    to: done");
        AssertError(yaml, "- name: expire", "automatic transition 'expire' starts from unknown state 'pending'");
    }

    [Test]
    public void Validate_WhenAutomaticToUnknown_NamesAutomaticTransition()
    {
        var yaml = With("to: open", "to: reopened");
        AssertError(yaml, "- name: answered", "automatic transition 'answered' leads to unknown state 'reopened'");
    }

    [Test]
    public void Validate_WhenGuardUnknown_ListsKnownGuards()
    {
        var yaml = With("guards: [has-assignee]", "guards: [has-owner]");
        AssertError(yaml, "- name: finish",
            "transition 'finish' names unknown guard 'has-owner'. Known guards: change-planned, emergency-change, has-assignee, has-assignment-group, is-caller,");
    }

    [Test]
    public void Validate_WhenRoleUnknown_ListsKnownRoles()
    {
        var yaml = With("roles: [Agent, Admin]", "roles: [Agent, Boss]");
        AssertError(yaml, "- name: finish", "transition 'finish' names unknown role 'Boss'. Known roles: Requester, Agent,");
    }

    [Test]
    public void Validate_WhenRequiredFieldUnknown_ListsKnownFields()
    {
        var yaml = With("required-fields: [resolutionCode]", "required-fields: [resolution]");
        AssertError(yaml, "- name: finish", "transition 'finish' requires unknown field 'resolution'. Known fields: cancelReason, holdReason,");
    }

    [Test]
    public void Validate_WhenStateIdDuplicated_PointsAtSecondAndFirst()
    {
        var yaml = With("  - id: done\n    label: Done", "  - id: open\n    label: Done");
        var second = LineOf(yaml, "label: Done") - 1;
        Assert.That(ErrorLines(yaml), Has.Some.EqualTo($"test.yaml:{second}: state 'open' is defined twice (first at line {LineOf(yaml, "- id: open")})."));
    }

    [Test]
    public void Validate_WhenTransitionNameDuplicated_PointsAtSecond()
    {
        var yaml = With("- name: expire", "- name: wait");
        Assert.That(ErrorLines(yaml), Has.Some.EqualTo(
            $"test.yaml:{LineOf(yaml, "trigger: timer") - 1}: transition name 'wait' is used twice (first at line {LineOf(yaml, "- name: wait")})."));
    }

    [Test]
    public void Validate_WhenStateUnreachable_NamesStateAndInitial()
    {
        var yaml = With("to: waiting", "to: done");
        AssertError(yaml, "- id: waiting", "state 'waiting' cannot be reached from the initial state 'open'.");
    }

    [Test]
    public void Validate_WhenNonFinalStateHasNoWayOut_NamesState()
    {
        var yaml = With("""
              - id: done
                label: Done
                active: false
                final: true
            """, """
              - id: done
                label: Done
                active: false
                final: true
              - id: limbo
                label: Limbo
                active: false
                final: false
            """).Replace("to: done\n    roles: [Agent, Admin]", "to: limbo\n    roles: [Agent, Admin]");
        AssertError(yaml, "- id: limbo", "state 'limbo' is not final but no transition leaves it");
    }

    [Test]
    public void Validate_WhenTransitionLeavesFinalState_NamesBoth()
    {
        var yaml = With("from: [open, waiting]", "from: [open, waiting, done]");
        AssertError(yaml, "- name: finish", "transition 'finish' leaves final state 'done'; a final state allows no way out.");
    }

    [Test]
    public void Validate_WhenAutomaticHoldReasonUnknown_ListsHoldReasons()
    {
        var yaml = With("hold-reason: awaiting-caller", "hold-reason: awaiting-godot");
        AssertError(yaml, "- name: answered",
            "automatic transition 'answered' names hold reason 'awaiting-godot', which is not among the hold-reasons: awaiting-caller.");
    }

    [TestCase("after-days: 0")]
    [TestCase("after-days: -2")]
    public void Validate_WhenTimerHasNoPositiveAfterDays_NamesTransition(string afterDays)
    {
        var yaml = With("after-days: 3", afterDays);
        AssertError(yaml, "- name: expire", "automatic transition 'expire' has trigger timer but no after-days greater than 0.");
    }

    [Test]
    public void Validate_WhenTimerLacksAfterDays_NamesTransition()
    {
        var yaml = With("\n    after-days: 3", "");
        AssertError(yaml, "- name: expire", "has trigger timer but no after-days greater than 0.");
    }

    [Test]
    public void Validate_WhenCallerCommentHasAfterDays_ReportsIt()
    {
        var yaml = With("hold-reason: awaiting-caller", "hold-reason: awaiting-caller\n    after-days: 2");
        AssertError(yaml, "- name: answered", "automatic transition 'answered' has after-days, which only a timer trigger uses.");
    }

    [Test]
    public void Validate_WhenTransitionHasNoRoles_SaysNobodyCouldRunIt()
    {
        var yaml = With("roles: [Agent]", "roles: []");
        AssertError(yaml, "- name: wait", "transition 'wait' has no roles, so nobody could run it.");
    }

    [Test]
    public void Validate_WhenFinalStateIsActive_ReportsIt()
    {
        var yaml = With("active: false\n    final: true", "active: true\n    final: true");
        AssertError(yaml, "- id: done", "state 'done' is final and active");
    }

    [Test]
    public void Validate_WhenStateIdNotKebabCase_SaysSo()
    {
        var yaml = With("id: waiting", "id: Waiting").Replace("to: waiting", "to: Waiting").Replace("from: [open, waiting]", "from: [open, Waiting]")
            .Replace("from: waiting", "from: Waiting");
        var lines = ErrorLines(yaml);
        Assert.That(lines, Is.EqualTo(new[]
        {
            $"test.yaml:{LineOf(yaml, "id: Waiting")}: state id 'Waiting' must be kebab-case: lower-case letters and digits joined by '-', e.g. in-progress.",
        }));
    }

    [Test]
    public void Validate_WhenTransitionNameHasSpace_SaysKebabCase()
    {
        var yaml = With("- name: wait", "- name: put on hold");
        AssertError(yaml, "- name: put on hold", "transition name 'put on hold' must be kebab-case");
    }

    [Test]
    public void Validate_WhenDefinitionBuiltInCode_ReturnsLocatedErrorsInLineOrder()
    {
        var at = (int line) => new SourceLocation("code.yaml", line);
        var p = new ProcessDefinition
        {
            Name = "code",
            Kind = TicketKind.Task,
            File = "code.yaml",
            InitialState = "a",
            InitialStateLocation = at(1),
            States = [new StateDefinition("a", "A", true, false, at(2)), new StateDefinition("z", "Z", false, true, at(3))],
            Transitions = [new TransitionDefinition("go", "Go", ["a"], "zz", [], ["nope"], [], at(4))],
        };

        var errors = ProcessDefinitionValidator.Validate(p);

        Assert.That(errors.Select(e => e.ToString()), Is.EqualTo(new[]
        {
            "code.yaml:3: state 'z' cannot be reached from the initial state 'a'.",
            "code.yaml:4: transition 'go' leads to unknown state 'zz'. Known states: a, z.",
            "code.yaml:4: transition 'go' has no roles, so nobody could run it. Known roles: Requester, Agent, ProblemManager, ChangeManager, CabMember, Engineer, Admin.",
            "code.yaml:4: transition 'go' names unknown guard 'nope'. Known guards: change-planned, emergency-change, has-assignee, has-assignment-group, is-caller, is-caller-or-fulfiller, is-implementer-or-change-manager, no-conflicts, normal-change, resolution-recorded, root-cause-recorded, standard-change, within-reopen-window.",
        }));
    }
}
