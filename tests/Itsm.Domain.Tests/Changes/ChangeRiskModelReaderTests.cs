using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Processes;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;

namespace Itsm.Domain.Tests.Changes;

/// <summary>change-risk.yaml: the shipped file's verdicts, and every fault reported with the file and the line.</summary>
public class ChangeRiskModelReaderTests
{
    private const string File = "itil-processes/change-risk.yaml";

    private static RiskModel Shipped() => ChangeRiskModelReader.Load(Path.Combine(ProcessesDirectory, ProcessDefinitionLoader.ChangeRiskFile));

    private static RiskCi Ci(long id, string name, int criticality, string classCode = "server") => new(id, name, classCode, criticality);

    // --- the shipped file

    [Test]
    public void Load_ShippedFile_HasEveryRuleKindAndAQuestionnaire()
    {
        var model = Shipped();
        Assert.Multiple(() =>
        {
            Assert.That(model.Rules.Select(r => r.Kind), Is.EquivalentTo(RiskRuleKinds.All));
            Assert.That(model.Questions, Has.Count.InRange(3, 4));
            Assert.That(model.Questions.SelectMany(q => q.Answers), Has.Some.Matches<RiskAnswer>(a => a.RaisesTo is not null));
        });
    }

    [Test]
    public void Shipped_WhenStandardChangeOnOneLowCriticalityCi_IsLow()
    {
        var assessment = Shipped().Assess(new RiskFacts
        {
            Type = ChangeType.Standard,
            Cis = [Ci(1, "printer-3f", 4, "printer")],
            ImpactedCiCount = 1,
            LeadTime = TimeSpan.FromHours(2),
        });
        Assert.That(assessment.Level, Is.EqualTo(RiskLevel.Low), string.Join("; ", assessment.Reasons.Select(r => r.Text)));
    }

    [Test]
    public void Shipped_WhenNormalChangeTouchesACriticalityOneBusinessService_IsAtLeastHigh()
    {
        var assessment = Shipped().Assess(new RiskFacts
        {
            Type = ChangeType.Normal,
            Cis = [Ci(1, "payroll-app-01", 3)],
            ImpactedServices = [Ci(2, "Payroll", 1, "business_service")],
            ImpactedCiCount = 2,
            LeadTime = TimeSpan.FromDays(7),
        });
        Assert.Multiple(() =>
        {
            Assert.That(assessment.Level, Is.GreaterThanOrEqualTo(RiskLevel.High));
            Assert.That(assessment.Reasons[0].Text, Is.EqualTo("1 business service impacted: Payroll (criticality 1)"));
        });
    }

    [Test]
    public void Shipped_WhenEmergencyChangeOnCoreInfrastructure_IsVeryHigh()
    {
        var model = Shipped();
        // The CI alone is enough: core infrastructure is criticality 1.
        var alone = model.Assess(new RiskFacts { Type = ChangeType.Emergency, Cis = [Ci(1, "core-router-01", 1, "network_device")] });
        // As impact analysis would find it: services and many CIs behind it.
        var realistic = model.Assess(new RiskFacts
        {
            Type = ChangeType.Emergency,
            Cis = [Ci(1, "core-router-01", 1, "network_device")],
            ImpactedServices = [Ci(2, "Payroll", 1, "business_service"), Ci(3, "Email", 2, "business_service")],
            ImpactedCiCount = 240,
            LeadTime = TimeSpan.FromHours(1),
        });
        Assert.That((alone.Level, realistic.Level), Is.EqualTo((RiskLevel.VeryHigh, RiskLevel.VeryHigh)));
    }

    [Test]
    public void Shipped_WhenStagingUntested_RaisesALowChangeToHigh()
    {
        var model = Shipped();
        var assessment = model.Assess(new RiskFacts
        {
            Type = ChangeType.Standard,
            Cis = [Ci(1, "printer-3f", 4, "printer")],
            Answers = new Dictionary<string, string> { ["tested-in-staging"] = "no" },
        });
        Assert.Multiple(() =>
        {
            Assert.That((assessment.Level, assessment.ComputedLevel), Is.EqualTo((RiskLevel.High, RiskLevel.Low)));
            Assert.That(assessment.Reasons.Single().Text, Does.StartWith("questionnaire: 'Has this change been tested in staging?' answered No: at least High"));
        });
    }

    // --- the reader, on a small sample

    private const string Sample = """
        levels:
          moderate: 10
          high: 25
          very-high: 45
        rules:
          - kind: impacted-services
            points-by-criticality: { 1: 25, 2: 10 }
            max: 40
          - kind: blast-radius
            thresholds:
              - { at-least: 20, points: 3 }
              - { at-least: 100, points: 8 }
          - kind: highest-ci-criticality
            points-by-criticality: { 1: 20, 4: 0 }
          - kind: change-type
            points-by-type: { normal: 5, emergency: 20 }
          - kind: lead-time
            hours-by-type: { normal: 48 }
            points: 10
          - kind: outside-maintenance-window
            points: 4
            max: 12
          - kind: blackout
            points: 20
          - kind: conflicts
            points: 5
          - kind: failed-changes
            points: 6
          - kind: incidents-caused-by-changes
            points: 4
        questions:
          - id: tested-in-staging
            text: Has this been tested in staging?
            answers:
              - id: yes
                label: Yes
              - id: no
                label: No
                raises-to: high
          - id: needs-downtime
            text: Does it need downtime?
            answers:
              - id: no
                label: No
              - id: yes
                label: Yes
                raises-to: moderate
        """;

    private static string With(string from, string to)
    {
        if (!Sample.Contains(from, StringComparison.Ordinal)) Assert.Fail($"the sample has no '{from}' to replace");
        return Sample.Replace(from, to, StringComparison.Ordinal);
    }

    private static List<DefinitionError> Errors(string yaml)
    {
        var errors = new List<DefinitionError>();
        Assert.That(ChangeRiskModelReader.Read(File, yaml, errors), Is.Null, "a faulty file gives no model");
        return errors;
    }

    /// <summary>One error line names the file, the line of <paramref name="marker"/> (its <paramref name="nth"/> occurrence) and the fault.</summary>
    private static void AssertError(string yaml, string marker, string fault, int nth = 1)
    {
        var lines = yaml.Replace("\r\n", "\n").Split('\n');
        var line = lines.Select((l, i) => (l, i)).Where(p => p.l.Contains(marker, StringComparison.Ordinal)).ElementAt(nth - 1).i + 1;
        Assert.That(Errors(yaml).Select(e => e.ToString()), Has.Some.StartsWith($"{File}:{line}: ").And.Contains(fault),
            $"expected an error at {File}:{line} containing \"{fault}\"");
    }

    [Test]
    public void Read_Sample_BuildsEveryRuleWithItsWeights()
    {
        var errors = new List<DefinitionError>();
        var model = ChangeRiskModelReader.Read(File, Sample, errors);
        Assert.That(errors, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(model!.Rules.Select(r => r.Kind), Is.EqualTo(RiskRuleKinds.All));
            Assert.That((model.Levels.Moderate, model.Levels.High, model.Levels.VeryHigh), Is.EqualTo((10, 25, 45)));
            var services = (ImpactedServicesRule)model.Rules[0];
            Assert.That((services.PointsByCriticality[1], services.PointsByCriticality[2], services.Max), Is.EqualTo((25, 10, (int?)40)));
            Assert.That(((BlastRadiusRule)model.Rules[1]).Thresholds, Is.EqualTo(new[] { new RiskThreshold(20, 3), new RiskThreshold(100, 8) }));
            Assert.That(((LeadTimeRule)model.Rules[4]).HoursByType[ChangeType.Normal], Is.EqualTo(48));
            Assert.That(((PerItemRule)model.Rules[6]).Max, Is.Null);
            Assert.That(model.Questions[0].Answers[1], Is.EqualTo(new RiskAnswer("no", "No", RiskLevel.High)));
            Assert.That(model.Questions[1].Answers[0], Is.EqualTo(new RiskAnswer("no", "No")));
        });
    }

    [Test]
    public void Read_WhenSyntaxError_ReportsItWithTheLine()
    {
        var yaml = With("points-by-type: { normal: 5, emergency: 20 }", "points-by-type: { normal: 5, emergency: 20");
        Assert.That(Errors(yaml).Select(e => e.ToString()), Has.Some.Match(@"^itil-processes/change-risk\.yaml:\d+: YAML syntax error: "));
    }

    [Test]
    public void Read_WhenTopLevelKeyUnknown_NamesItAndTheKnownOnes()
    {
        AssertError(With("questions:", "questionnaire:"), "questionnaire:",
            "unknown key 'questionnaire' in the change risk model. Known keys: levels, rules, questions.");
    }

    [Test]
    public void Read_WhenRuleKeyUnknown_NamesItAndTheKindsKeys()
    {
        AssertError(With("    points: 5\n", "    points-each: 5\n"), "points-each: 5",
            "unknown key 'points-each' in the 'conflicts' rule. Known keys: kind, points, max.");
    }

    [Test]
    public void Read_WhenRuleKindUnknown_ListsTheKnownKinds()
    {
        AssertError(With("kind: blackout", "kind: freeze"), "kind: freeze",
            "unknown rule kind 'freeze'. Known kinds: " + string.Join(", ", RiskRuleKinds.All) + ".");
    }

    [Test]
    public void Read_WhenRuleHasNoKind_SaysSoAtTheRule()
    {
        AssertError(With("  - kind: blackout\n    points: 20", "  - points: 20"), "- points: 20",
            "a rule has no 'kind'; it is required. Known kinds: impacted-services,");
    }

    [Test]
    public void Read_WhenRuleKindGivenTwice_PointsAtTheSecond()
    {
        var yaml = With("  - kind: failed-changes", "  - kind: conflicts");
        AssertError(yaml, "kind: conflicts", $"rule kind 'conflicts' is already given at line {LineOf(yaml, "kind: conflicts")}; give each kind once.", nth: 2);
    }

    [Test]
    public void Read_WhenRequiredRuleKeyMissing_NamesIt()
    {
        AssertError(With("    hours-by-type: { normal: 48 }\n", ""), "kind: lead-time", "the 'lead-time' rule has no 'hours-by-type'; it is required.");
    }

    [TestCase("    points: 20\n", "    points: twenty\n", "points: twenty", "'points' must be a whole number, 0 or more, not 'twenty'.")]
    [TestCase("    points: 20\n", "    points: 2.5\n", "points: 2.5", "'points' must be a whole number, 0 or more, not '2.5'.")]
    [TestCase("    points: 20\n", "    points: -20\n", "points: -20", "'points' must be 0 or more, not -20.")]
    [TestCase("    max: 40", "    max: -1", "max: -1", "'max' must be 0 or more, not -1.")]
    [TestCase("{ 1: 25, 2: 10 }", "{ 1: 25, 2: lots }", "2: lots", "points for criticality 2 must be a whole number, 0 or more, not 'lots'.")]
    [TestCase("{ normal: 5, emergency: 20 }", "{ normal: -5, emergency: 20 }", "normal: -5", "points for normal changes must be 0 or more, not -5.")]
    [TestCase("{ normal: 48 }", "{ normal: soon }", "normal: soon", "hours for normal changes must be a whole number, 0 or more, not 'soon'.")]
    [TestCase("{ at-least: 20, points: 3 }", "{ at-least: 20, points: -3 }", "points: -3", "'points' must be 0 or more, not -3.")]
    [TestCase("points-by-criticality: { 1: 20, 4: 0 }", "points-by-criticality: 20", "points-by-criticality: 20",
        "'points-by-criticality' must map each criticality (1 to 4) to a number, such as { 1: 25, 2: 10, 3: 4, 4: 1 }, not the value '20'.")]
    public void Read_WhenANumberIsWrong_SaysWhatAtItsLine(string from, string to, string marker, string fault)
    {
        AssertError(With(from, to), marker, fault);
    }

    [Test]
    public void Read_WhenCriticalityUnknown_SaysWhichAreKnown()
    {
        AssertError(With("{ 1: 20, 4: 0 }", "{ 1: 20, 5: 0 }"), "5: 0",
            "unknown criticality '5' in 'points-by-criticality'; criticalities are 1 (most critical) to 4 (least).");
    }

    [Test]
    public void Read_WhenChangeTypeUnknown_SaysWhichAreKnown()
    {
        AssertError(With("{ normal: 48 }", "{ major: 48 }"), "major: 48",
            "unknown change type 'major' in 'hours-by-type'; types are standard, normal, emergency.");
    }

    [TestCase("  high: 25", "  high: 10", "high: 10", "'high' (10) must be greater than 'moderate' (10)")]
    [TestCase("  very-high: 45", "  very-high: 20", "very-high: 20", "'very-high' (20) must be greater than 'high' (25)")]
    [TestCase("  moderate: 10", "  moderate: 0", "moderate: 0", "'moderate' must be 1 or more: Low is every score below it.")]
    public void Read_WhenLevelThresholdsDoNotIncrease_PointsAtTheOffendingOne(string from, string to, string marker, string fault)
    {
        AssertError(With(from, to), marker, fault);
    }

    [Test]
    public void Read_WhenALevelIsMissing_NamesIt()
    {
        AssertError(With("  very-high: 45\n", ""), "levels:", "'levels' has no 'very-high'; it is required.");
    }

    [Test]
    public void Read_WhenBlastRadiusThresholdsDoNotIncrease_PointsAtTheOffendingOne()
    {
        AssertError(With("at-least: 100", "at-least: 20"), "at-least: 20, points: 8",
            "'at-least' (20) must be greater than the previous threshold's (20): list thresholds from the smallest up.");
    }

    [Test]
    public void Read_WhenQuestionIdDuplicated_PointsAtTheSecond()
    {
        var yaml = With("  - id: needs-downtime", "  - id: tested-in-staging");
        AssertError(yaml, "- id: tested-in-staging", $"question 'tested-in-staging' is already defined at line {LineOf(yaml, "- id: tested-in-staging")}.", nth: 2);
    }

    [Test]
    public void Read_WhenAnswerIdDuplicated_PointsAtTheSecond()
    {
        var yaml = With("      - id: yes\n        label: Yes\n      - id: no\n        label: No\n        raises-to: high",
                        "      - id: yes\n        label: Yes\n      - id: yes\n        label: No\n        raises-to: high");
        AssertError(yaml, "- id: yes", $"answer 'yes' of question 'tested-in-staging' is already defined at line {LineOf(yaml, "- id: yes")}.", nth: 2);
    }

    [Test]
    public void Read_WhenAnswerRaisesToUnknownLevel_ListsTheLevels()
    {
        AssertError(With("raises-to: high", "raises-to: critical"), "raises-to: critical",
            "unknown level 'critical' in 'raises-to'; levels are low, moderate, high, very-high.");
    }

    [Test]
    public void Read_WhenQuestionHasNoAnswers_SaysSo()
    {
        var yaml = With("""
                answers:
                  - id: no
                    label: No
                  - id: yes
                    label: Yes
                    raises-to: moderate
            """, "    answers: []");
        AssertError(yaml, "answers: []", "question 'needs-downtime' has no answers; list at least one.");
    }

    [Test]
    public void Read_WhenIdNotKebabCase_SaysSo()
    {
        AssertError(With("id: needs-downtime", "id: Needs Downtime"), "id: Needs Downtime",
            "question id 'Needs Downtime' must be kebab-case (lower-case letters, digits and dashes).");
    }

    [Test]
    public void Read_WhenSeveralFaults_ReportsThemAllInLineOrder()
    {
        var yaml = With("  high: 25", "  high: 5").Replace("kind: blackout", "kind: freeze").Replace("raises-to: moderate", "raises-to: severe");
        var errors = Errors(yaml);
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Location.Line), Is.EqualTo(new[]
            {
                LineOf(yaml, "high: 5"), LineOf(yaml, "kind: freeze"), LineOf(yaml, "raises-to: severe"),
            }));
            Assert.That(errors.Select(e => e.Location.File), Is.All.EqualTo(File));
        });
    }

    [Test]
    public void Load_WhenFileFaulty_ThrowsWithFolderAndFileNamedInEveryLine()
    {
        var dir = Path.Combine(Path.GetTempPath(), "itsm-risk-" + Guid.NewGuid().ToString("N"), "itil-processes");
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, ProcessDefinitionLoader.ChangeRiskFile);
            System.IO.File.WriteAllText(path, With("    points: 20\n", "    points: -20\n"));
            var ex = Assert.Throws<ProcessDefinitionException>(() => ChangeRiskModelReader.Load(path));
            Assert.That(ex!.Message, Is.EqualTo($"{File}:{LineOf(Sample, "    points: 20")}: 'points' must be 0 or more, not -20."));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    [Test]
    public void Load_WhenFileMissing_SaysSoAtLineOne()
    {
        var path = Path.Combine(Path.GetTempPath(), "itsm-risk-" + Guid.NewGuid().ToString("N"), ProcessDefinitionLoader.ChangeRiskFile);
        var ex = Assert.Throws<ProcessDefinitionException>(() => ChangeRiskModelReader.Load(path));
        Assert.That(ex!.Errors.Single().ToString(), Does.EndWith($"/{ProcessDefinitionLoader.ChangeRiskFile}:1: the change risk file is missing; change management computes every change's risk from it."));
    }
}
