using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Processes;
using Itsm.Domain.Tests.Processes;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;

namespace Itsm.Domain.Tests.Changes;

/// <summary>change-approvals.yaml is read with every fault reported as file:line: message.</summary>
public class ChangeApprovalPolicyReaderTests
{
    private const string Valid = """
        mode: all-matches
        cab-group: Change Advisory Board
        emergency-cab-group: Emergency CAB
        fallback-group: Change Management
        decisions:
          - name: standard
            when: { type: [standard] }
            approval: none
          - name: critical-databases
            when:
              type: [normal, emergency]
              risk-at-least: moderate
              risk-at-most: very-high
              service-criticality-at-most: 2
              ci-class: [database]
            approval: dba-then-cab
          - name: every-change
            when: always
            approval: dba-then-cab
        definitions:
          - id: dba-then-cab
            stages:
              - name: DBA
                sets:
                  - approvers: group:Database Administration
                    as: members
                    rule: 2-of-m
                  - approvers: person:ann
              - name: CAB
                sets:
                  - approvers: cab
                    rule: 60%
                  - approvers: ecab
                    rule: any
                  - approvers: ci-owners
                  - approvers: service-owners
                    rule: all
        """;

    private static string With(string find, string replace)
    {
        if (!Valid.Contains(find, StringComparison.Ordinal)) throw new ArgumentException($"'{find}' is not in the sample.", nameof(find));
        return Valid.Replace(find, replace);
    }

    private static (ApprovalPolicy? Policy, List<DefinitionError> Errors) Read(string yaml)
    {
        var errors = new List<DefinitionError>();
        return (ChangeApprovalPolicyReader.Read("test.yaml", yaml, errors), errors);
    }

    private static void AssertError(string yaml, string marker, string fault)
    {
        var (policy, errors) = Read(yaml);
        Assert.That(policy, Is.Null);
        var prefix = $"test.yaml:{LineAt(yaml, marker)}: ";
        Assert.That(errors.Select(e => e.ToString()), Has.Some.StartsWith(prefix).And.Contains(fault),
            $"expected an error at {prefix}containing \"{fault}\"");
    }

    /// <summary>The line where <paramref name="marker"/> (which may span lines, to pick one of several alike) starts.</summary>
    private static int LineAt(string yaml, string marker)
    {
        var text = yaml.Replace("\r\n", "\n");
        var index = text.IndexOf(marker, StringComparison.Ordinal);
        if (index < 0) throw new ArgumentException($"'{marker}' is not in the YAML.", nameof(marker));
        return text[..index].Count(c => c == '\n') + 1;
    }

    [Test]
    public void Read_WhenValid_GivesEveryPart()
    {
        var (policy, errors) = Read(Valid);
        Assert.That(errors, Is.Empty);
        Assert.That(policy!.Mode, Is.EqualTo(ApprovalPolicyMode.AllMatches));
        Assert.That((policy.CabGroup, policy.EmergencyCabGroup, policy.FallbackGroup), Is.EqualTo(("Change Advisory Board", "Emergency CAB", "Change Management")));
        Assert.That(policy.Decisions.Select(d => (d.Name, d.Definition)), Is.EqualTo(new[]
        {
            ("standard", "none"), ("critical-databases", "dba-then-cab"), ("every-change", "dba-then-cab"),
        }));
        Assert.That(policy.Decisions[1].When, Is.EqualTo(new ApprovalCondition
        {
            Types = [ChangeType.Normal, ChangeType.Emergency],
            RiskAtLeast = RiskLevel.Moderate,
            RiskAtMost = RiskLevel.VeryHigh,
            ServiceCriticalityAtMost = 2,
            CiClasses = ["database"],
        }).Using<ApprovalCondition>((a, b) => a.Types!.SequenceEqual(b.Types!) && a.RiskAtLeast == b.RiskAtLeast && a.RiskAtMost == b.RiskAtMost
            && a.ServiceCriticalityAtMost == b.ServiceCriticalityAtMost && a.CiClasses!.SequenceEqual(b.CiClasses!)));
        Assert.That(policy.Decisions[2].When.IsAlways, Is.True);
        var stages = policy.Definitions.Single().Stages;
        Assert.That(stages.Select(s => s.Name), Is.EqualTo(new[] { "DBA", "CAB" }));
        Assert.That(stages[0].Sets, Is.EqualTo(new[]
        {
            new ApproverSetDefinition(ApproverSource.Group, ApprovalRule.NOfM(2), "Database Administration", AsMembers: true),
            new ApproverSetDefinition(ApproverSource.Person, ApprovalRule.All, "ann"),
        }));
        Assert.That(stages[1].Sets.Select(s => (s.Key, s.Rule.ToString())), Is.EqualTo(new[]
        {
            ("cab", "60%"), ("ecab", "any"), ("ci-owners", "all"), ("service-owners", "all"),
        }));
    }

    [Test]
    public void Load_WhenTheShippedFile_ReadsWithoutFaults()
    {
        var policy = ChangeApprovalPolicyReader.Load(Path.Combine(ProcessesDirectory, ProcessDefinitionLoader.ChangeApprovalsFile));
        Assert.That(policy.Mode, Is.EqualTo(ApprovalPolicyMode.FirstMatch));
        Assert.That(policy.Decisions.Select(d => d.Name), Is.EqualTo(new[] { "standard-pre-approved", "emergency", "normal-high-risk", "normal" }));
        Assert.That(policy.FallbackGroup, Is.EqualTo("Change Management"));
    }

    [Test]
    public void Load_WhenTheFileIsMissing_SaysSoWithItsName()
    {
        var ex = Assert.Throws<ProcessDefinitionException>(() => ChangeApprovalPolicyReader.Load(Path.Combine(ProcessesDirectory, "no-such-approvals.yaml")));
        Assert.That(ex!.Message, Is.EqualTo("itil-processes/no-such-approvals.yaml:1: the change approval policy file is missing; change management needs it."));
    }

    [Test]
    public void Read_WhenTopLevelKeyUnknown_NamesItAtItsLine() =>
        AssertError(With("mode: all-matches", "mode: all-matches\nmodus: x"), "modus: x", "unknown key 'modus' in the change approval policy.");

    [Test]
    public void Read_WhenARequiredKeyIsMissing_SaysWhich()
    {
        var (_, errors) = Read(With("fallback-group: Change Management\n", ""));
        Assert.That(errors.Select(e => e.ToString()), Has.Some.EqualTo("test.yaml:1: the change approval policy has no 'fallback-group'; it is required."));
    }

    [Test]
    public void Read_WhenModeUnknown_ListsTheModes() =>
        AssertError(With("mode: all-matches", "mode: best-match"), "mode: best-match", "unknown mode 'best-match'; use first-match or all-matches.");

    [Test]
    public void Read_WhenDecisionKeyUnknown_NamesIt() =>
        AssertError(With("    approval: none", "    approval: none\n    owner: me"), "owner: me", "unknown key 'owner' in a decision.");

    [Test]
    public void Read_WhenConditionUnknown_ListsTheKnownOnes() =>
        AssertError(With("      risk-at-most: very-high", "      risk-above: high"), "risk-above", "unknown condition 'risk-above'. Known conditions: type, risk-at-least, risk-at-most, service-criticality-at-most, ci-class");

    [Test]
    public void Read_WhenConditionIsAnUnknownWord_SaysSo() =>
        AssertError(With("when: always", "when: sometimes"), "when: sometimes", "unknown condition 'sometimes'");

    [Test]
    public void Read_WhenChangeTypeUnknown_ListsTheTypes() =>
        AssertError(With("type: [standard]", "type: [minor]"), "type: [minor]", "unknown change type 'minor'; types are standard, normal, emergency.");

    [Test]
    public void Read_WhenTypeListIsEmpty_SaysSo() =>
        AssertError(With("type: [standard]", "type: []"), "type: []", "'type' lists no change type.");

    [Test]
    public void Read_WhenRiskBoundsContradict_SaysTheDecisionCouldNeverMatch() =>
        AssertError(With("risk-at-most: very-high", "risk-at-most: low"), "risk-at-least: moderate",
            "risk-at-least moderate is above risk-at-most low: the decision could never match.");

    [Test]
    public void Read_WhenRiskUnknown_ListsTheRisks() =>
        AssertError(With("risk-at-least: moderate", "risk-at-least: severe"), "risk-at-least: severe", "unknown risk 'severe'");

    [Test]
    public void Read_WhenCriticalityOutOfRange_SaysTheRange() =>
        AssertError(With("service-criticality-at-most: 2", "service-criticality-at-most: 0"), "service-criticality-at-most: 0", "from 1 (most critical) to 4");

    [Test]
    public void Read_WhenTheDefinitionReferencedIsUnknown_ListsTheDefinedOnes() =>
        AssertError(With("    approval: dba-then-cab\n  - name: every-change", "    approval: cab-only\n  - name: every-change"), "approval: cab-only",
            "unknown approval definition 'cab-only'. Defined: dba-then-cab; or 'none' for no approval.");

    [Test]
    public void Read_WhenApproverSourceUnknown_ListsTheSources() =>
        AssertError(With("approvers: cab\n", "approvers: board\n"), "approvers: board",
            "unknown approver source 'board'; use ci-owners, service-owners, cab, ecab, group:<name> or person:<username>.");

    [Test]
    public void Read_WhenGroupSourceHasNoName_IsUnknown() =>
        AssertError(With("approvers: person:ann", "approvers: 'person:'"), "approvers: 'person:'", "unknown approver source 'person:'");

    [TestCase("0-of-m", "'0-of-m': N of M needs N of 1 or more.")]
    [TestCase("120%", "'120%': a percentage must be from 1 to 100.")]
    [TestCase("most", "'most' is not an approval rule")]
    public void Read_WhenRuleIsBad_SaysWhy(string rule, string fault) =>
        AssertError(With("rule: 60%", "rule: " + rule), "rule: " + rule, fault);

    [Test]
    public void Read_WhenAsIsGivenForACabSet_SaysItIsForGroupsOnly() =>
        AssertError(With("approvers: ecab\n", "approvers: ecab\n            as: members\n"), "as: members\n            rule: any",
            "'as' applies only to approvers: group:<name>.");

    [Test]
    public void Read_WhenDecisionNamesRepeat_SaysSo() =>
        AssertError(With("- name: every-change", "- name: standard"), "- name: standard\n    when: always", "decision 'standard' is defined twice.");

    [Test]
    public void Read_WhenDefinitionIdsRepeat_SaysSo()
    {
        var yaml = Valid + "\n  - id: dba-then-cab\n    stages:\n      - name: Again\n        sets:\n          - approvers: cab\n";
        var (_, errors) = Read(yaml);
        var line = yaml.Replace("\r\n", "\n").Split('\n').ToList().FindLastIndex(l => l.Contains("- id: dba-then-cab")) + 1;
        Assert.That(errors.Select(e => e.ToString()), Has.Some.EqualTo($"test.yaml:{line}: approval definition 'dba-then-cab' is defined twice."));
    }

    [Test]
    public void Read_WhenStageNamesRepeat_SaysSo() =>
        AssertError(With("      - name: CAB", "      - name: DBA"), "      - name: DBA\n        sets:\n          - approvers: cab", "stage 'DBA' appears twice");

    [Test]
    public void Read_WhenAStageAsksTheSameSetTwice_SaysSo() =>
        AssertError(With("          - approvers: ecab\n            rule: any", "          - approvers: cab\n            rule: any"), "          - approvers: cab\n            rule: any",
            "stage 'CAB' asks the set 'cab' twice.");

    [Test]
    public void Read_WhenAStageHasNoSets_SaysEveryStageAsksSomeone()
    {
        var yaml = """
            mode: first-match
            cab-group: CAB
            emergency-cab-group: ECAB
            fallback-group: Change Management
            decisions:
              - name: all
                when: always
                approval: empty
            definitions:
              - id: empty
                stages:
                  - name: Nobody
                    sets: []
            """;
        AssertError(yaml, "sets: []", "stage 'Nobody' has no approver sets; every stage asks someone.");
    }

    [Test]
    public void Read_WhenADefinitionHasNoStages_PointsAtNone() =>
        AssertError(Valid[..Valid.IndexOf("    stages:", StringComparison.Ordinal)] + "    stages: []\n", "stages: []", "has no stages; a decision that needs no approval names 'none' instead.");

    [Test]
    public void Read_WhenSeveralFaults_ReportsEachInOnePass()
    {
        var yaml = Valid.Replace("mode: all-matches", "mode: any").Replace("rule: 2-of-m", "rule: 0-of-m").Replace("approvers: cab\n", "approvers: board\n");
        var (_, errors) = Read(yaml);
        Assert.That(errors.Select(e => e.Location.Line), Is.EquivalentTo(new[] { LineOf(yaml, "mode: any"), LineOf(yaml, "rule: 0-of-m"), LineOf(yaml, "approvers: board") }));
    }

    [Test]
    public void Read_WhenNotYaml_ReportsTheSyntaxError()
    {
        var (_, errors) = Read("mode: [first-match\n");
        Assert.That(errors.Single().ToString(), Does.StartWith("test.yaml:").And.Contains("YAML syntax error"));
    }
}
