using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Risk;

namespace Itsm.Domain.Tests.Changes;

/// <summary>Each rule kind, the level thresholds and the questionnaire, on models built in code.</summary>
public class RiskModelTests
{
    private static readonly RiskLevelThresholds Levels = new(10, 25, 45);

    private static readonly Dictionary<int, int> ByCriticality = new() { [1] = 25, [2] = 10, [3] = 4, [4] = 0 };

    private static RiskCi Ci(long id, string name, int criticality, string classCode = "server") => new(id, name, classCode, criticality);

    private static RiskFacts Facts(ChangeType type = ChangeType.Normal) => new() { Type = type };

    private static RiskModel Model(params RiskRule[] rules) => new(Levels, rules, []);

    private static RiskReason SingleReason(RiskRule rule, RiskFacts facts) => Model(rule).Assess(facts).Reasons.Single();

    // --- impacted-services

    [Test]
    public void ImpactedServices_WhenSeveralServices_SumsPointsByCriticalityAndNamesTheMostCritical()
    {
        var facts = Facts() with { ImpactedServices = [Ci(1, "Email", 2), Ci(2, "Payroll", 1), Ci(3, "Intranet", 3)] };
        var reason = SingleReason(new ImpactedServicesRule(ByCriticality), facts);
        Assert.That(reason, Is.EqualTo(new RiskReason("impacted-services",
            "3 business services impacted, the most critical Payroll (criticality 1)", 25 + 10 + 4)));
    }

    [Test]
    public void ImpactedServices_WhenOneService_NamesIt()
    {
        var facts = Facts() with { ImpactedServices = [Ci(2, "Payroll", 1)] };
        Assert.That(SingleReason(new ImpactedServicesRule(ByCriticality), facts).Text,
            Is.EqualTo("1 business service impacted: Payroll (criticality 1)"));
    }

    [Test]
    public void ImpactedServices_WhenSeveralShareTheTopCriticality_NamesThemAll()
    {
        var facts = Facts() with { ImpactedServices = [Ci(1, "Payroll", 1), Ci(2, "Billing", 1), Ci(3, "Email", 2)] };
        Assert.That(SingleReason(new ImpactedServicesRule(ByCriticality), facts).Text,
            Is.EqualTo("3 business services impacted, the most critical Payroll and Billing (criticality 1)"));
    }

    [Test]
    public void ImpactedServices_WhenOverTheCap_GivesTheCapAndSaysSo()
    {
        var facts = Facts() with { ImpactedServices = [Ci(1, "Payroll", 1), Ci(2, "Billing", 1)] };
        var reason = SingleReason(new ImpactedServicesRule(ByCriticality, max: 30), facts);
        Assert.That(reason.Points, Is.EqualTo(30));
        Assert.That(reason.Text, Does.EndWith(", capped at 30 points"));
    }

    [Test]
    public void ImpactedServices_WhenAServiceIsListedTwice_CountsItOnce()
    {
        var facts = Facts() with { ImpactedServices = [Ci(1, "Payroll", 1), Ci(1, "Payroll", 1)] };
        Assert.That(SingleReason(new ImpactedServicesRule(ByCriticality), facts).Points, Is.EqualTo(25));
    }

    [Test]
    public void ImpactedServices_WhenOnlyServicesWorthNoPoints_GivesNoReason()
    {
        var facts = Facts() with { ImpactedServices = [Ci(1, "Wiki", 4)] };
        Assert.That(Model(new ImpactedServicesRule(ByCriticality)).Assess(facts).Reasons, Is.Empty);
    }

    // --- blast-radius

    private static readonly BlastRadiusRule BlastRadius = new([new(20, 3), new(100, 8), new(500, 15)]);

    [Test]
    public void BlastRadius_WhenSeveralThresholdsReached_TheHighestCounts()
    {
        var reason = SingleReason(BlastRadius, Facts() with { ImpactedCiCount = 120 });
        Assert.That(reason, Is.EqualTo(new RiskReason("blast-radius", "impact analysis reaches 120 CIs (100 or more)", 8)));
    }

    [TestCase(0)]
    [TestCase(19)]
    public void BlastRadius_WhenBelowTheFirstThreshold_GivesNoReason(int count)
    {
        Assert.That(Model(BlastRadius).Assess(Facts() with { ImpactedCiCount = count }).Reasons, Is.Empty);
    }

    // --- highest-ci-criticality

    [Test]
    public void HighestCiCriticality_GivesPointsOfTheMostCriticalCiAndNamesIt()
    {
        var facts = Facts() with { Cis = [Ci(1, "web-01", 3), Ci(2, "core-db-01", 1)] };
        Assert.That(SingleReason(new HighestCiCriticalityRule(ByCriticality), facts),
            Is.EqualTo(new RiskReason("highest-ci-criticality", "the most critical affected CI is core-db-01 (criticality 1)", 25)));
    }

    [Test]
    public void HighestCiCriticality_WhenTwoShareIt_NamesBoth()
    {
        var facts = Facts() with { Cis = [Ci(1, "core-db-01", 1), Ci(2, "core-db-02", 1)] };
        Assert.That(SingleReason(new HighestCiCriticalityRule(ByCriticality), facts).Text,
            Is.EqualTo("the most critical affected CIs are core-db-01 and core-db-02 (criticality 1)"));
    }

    [Test]
    public void HighestCiCriticality_WhenManyShareIt_NamesThreeAndCountsTheRest()
    {
        var facts = Facts() with { Cis = [.. Enumerable.Range(1, 5).Select(i => Ci(i, $"db-{i}", 2))] };
        Assert.That(SingleReason(new HighestCiCriticalityRule(ByCriticality), facts).Text,
            Is.EqualTo("the most critical affected CIs are db-1, db-2, db-3 and 2 more (criticality 2)"));
    }

    [Test]
    public void HighestCiCriticality_WhenNoCis_GivesNoReason()
    {
        Assert.That(Model(new HighestCiCriticalityRule(ByCriticality)).Assess(Facts()).Reasons, Is.Empty);
    }

    // --- change-type

    private static readonly ChangeTypeRule ChangeTypes = new(new Dictionary<ChangeType, int>
    {
        [ChangeType.Standard] = 0, [ChangeType.Normal] = 5, [ChangeType.Emergency] = 20,
    });

    [TestCase(ChangeType.Emergency, "an emergency change", 20)]
    [TestCase(ChangeType.Normal, "a normal change", 5)]
    public void ChangeType_GivesThePointsOfTheType(ChangeType type, string text, int points)
    {
        Assert.That(SingleReason(ChangeTypes, Facts(type)), Is.EqualTo(new RiskReason("change-type", text, points)));
    }

    [Test]
    public void ChangeType_WhenTheTypeIsWorthNoPoints_GivesNoReason()
    {
        Assert.That(Model(ChangeTypes).Assess(Facts(ChangeType.Standard)).Reasons, Is.Empty);
    }

    // --- lead-time

    private static readonly LeadTimeRule LeadTime = new(new Dictionary<ChangeType, int> { [ChangeType.Normal] = 48 }, 10);

    [Test]
    public void LeadTime_WhenPlannedStartTooClose_SaysHowCloseAndWhatTheTypeNeeds()
    {
        var reason = SingleReason(LeadTime, Facts() with { LeadTime = TimeSpan.FromHours(6.5) });
        Assert.That(reason, Is.EqualTo(new RiskReason("lead-time",
            "planned start in 6 hours, less than the 48 hours' lead time a normal change needs", 10)));
    }

    [TestCase(30, "planned start in 30 minutes, ")]
    [TestCase(0.5, "planned start in less than a minute, ")]
    [TestCase(60, "planned start in 1 hour, ")]
    public void LeadTime_WhenUnderAnHour_WordsItInMinutesThenHours(double minutes, string start)
    {
        Assert.That(SingleReason(LeadTime, Facts() with { LeadTime = TimeSpan.FromMinutes(minutes) }).Text, Does.StartWith(start));
    }

    [Test]
    public void LeadTime_WhenSpanIsDays_WordsItInDays()
    {
        var rule = new LeadTimeRule(new Dictionary<ChangeType, int> { [ChangeType.Normal] = 240 }, 10);
        Assert.That(SingleReason(rule, Facts() with { LeadTime = TimeSpan.FromHours(100) }).Text,
            Is.EqualTo("planned start in 4 days, less than the 240 hours' lead time a normal change needs"));
    }

    [Test]
    public void LeadTime_WhenPlannedStartIsPast_SaysSo()
    {
        Assert.That(SingleReason(LeadTime, Facts() with { LeadTime = TimeSpan.FromHours(-3) }).Text,
            Is.EqualTo("planned start already past (3 hours ago), less than the 48 hours' lead time a normal change needs"));
    }

    [Test]
    public void LeadTime_WhenEnoughOrNoPlanOrTypeNotListed_GivesNoReason()
    {
        var model = Model(LeadTime);
        Assert.Multiple(() =>
        {
            Assert.That(model.Assess(Facts() with { LeadTime = TimeSpan.FromHours(48) }).Reasons, Is.Empty, "exactly the lead time");
            Assert.That(model.Assess(Facts() with { LeadTime = null }).Reasons, Is.Empty, "no planned start");
            Assert.That(model.Assess(Facts(ChangeType.Emergency) with { LeadTime = TimeSpan.FromHours(1) }).Reasons, Is.Empty, "emergency not listed");
        });
    }

    // --- per-item rules

    private static IEnumerable<TestCaseData> PerItemCases()
    {
        yield return new TestCaseData(RiskRuleKinds.OutsideMaintenanceWindow, Facts() with { CisOutsideMaintenanceWindow = 2 },
            "planned outside the maintenance window of 2 CIs", 6).SetName("PerItem_OutsideMaintenanceWindow_CountsCis");
        yield return new TestCaseData(RiskRuleKinds.Blackout, Facts() with { BlackoutCount = 1 },
            "planned in 1 blackout window", 3).SetName("PerItem_Blackout_CountsWindows");
        yield return new TestCaseData(RiskRuleKinds.Conflicts, Facts() with { ConflictCount = 3 },
            "3 scheduling conflicts (overlapping changes, a busy implementer)", 9).SetName("PerItem_Conflicts_CountsConflicts");
        yield return new TestCaseData(RiskRuleKinds.FailedChanges, Facts() with { FailedChangesLast90Days = 2 },
            "2 failed changes on the same CIs in the last 90 days", 6).SetName("PerItem_FailedChanges_CountsFailures");
        yield return new TestCaseData(RiskRuleKinds.IncidentsCausedByChanges, Facts() with { IncidentsCausedByChangesLast90Days = 1 },
            "1 incident caused by changes to the same CIs in the last 90 days", 3).SetName("PerItem_IncidentsCausedByChanges_CountsIncidents");
    }

    [TestCaseSource(nameof(PerItemCases))]
    public void PerItem_GivesPointsPerItemWithItsText(string kind, RiskFacts facts, string text, int points)
    {
        // 3 points each.
        Assert.That(SingleReason(new PerItemRule(kind, 3), facts), Is.EqualTo(new RiskReason(kind, text, points)));
    }

    [Test]
    public void PerItem_WhenOverTheCap_GivesTheCapAndSaysSo()
    {
        var reason = SingleReason(new PerItemRule(RiskRuleKinds.Conflicts, 5, max: 12), Facts() with { ConflictCount = 4 });
        Assert.That(reason, Is.EqualTo(new RiskReason("conflicts",
            "4 scheduling conflicts (overlapping changes, a busy implementer), capped at 12 points", 12)));
    }

    [Test]
    public void PerItem_WhenNothingCounted_GivesNoReason()
    {
        var model = Model([.. PerItemRule.Kinds.Select(k => new PerItemRule(k, 5))]);
        Assert.That(model.Assess(Facts()).Reasons, Is.Empty);
    }

    [Test]
    public void PerItem_WhenKindIsNotPerItem_Throws()
    {
        Assert.Throws<ArgumentException>(() => _ = new PerItemRule(RiskRuleKinds.LeadTime, 5));
    }

    // --- score, levels and reasons

    [TestCase(0, RiskLevel.Low)]
    [TestCase(9, RiskLevel.Low)]
    [TestCase(10, RiskLevel.Moderate)]
    [TestCase(24, RiskLevel.Moderate)]
    [TestCase(25, RiskLevel.High)]
    [TestCase(44, RiskLevel.High)]
    [TestCase(45, RiskLevel.VeryHigh)]
    [TestCase(1000, RiskLevel.VeryHigh)]
    public void Assess_LevelIsWhereTheScoreFallsAmongTheThresholds(int score, RiskLevel level)
    {
        // One conflict worth exactly the score.
        var assessment = Model(new PerItemRule(RiskRuleKinds.Conflicts, score)).Assess(Facts() with { ConflictCount = 1 });
        Assert.That((assessment.Score, assessment.ComputedLevel, assessment.Level), Is.EqualTo((score, level, level)));
    }

    [TestCase(0, 10, 20)]
    [TestCase(10, 10, 20)]
    [TestCase(10, 20, 20)]
    public void Thresholds_WhenNotIncreasingFromOne_Throw(int moderate, int high, int veryHigh)
    {
        Assert.Throws<ArgumentException>(() => _ = new RiskLevelThresholds(moderate, high, veryHigh));
    }

    [Test]
    public void Assess_ScoreIsTheSumAndReasonsAreTheContributingRulesLargestFirst()
    {
        var model = Model(ChangeTypes, new HighestCiCriticalityRule(ByCriticality), new PerItemRule(RiskRuleKinds.Blackout, 20), LeadTime);
        var facts = Facts() with { Cis = [Ci(1, "app-01", 2)], BlackoutCount = 1, LeadTime = TimeSpan.FromDays(10) };
        var assessment = model.Assess(facts);
        Assert.Multiple(() =>
        {
            Assert.That(assessment.Score, Is.EqualTo(5 + 10 + 20));
            Assert.That(assessment.Level, Is.EqualTo(RiskLevel.High));
            Assert.That(assessment.Reasons.Select(r => (r.Rule, r.Points)), Is.EqualTo(new[]
            {
                ("blackout", 20), ("highest-ci-criticality", 10), ("change-type", 5),
            }), "lead time is enough, so it is not a reason");
        });
    }

    // --- questionnaire

    private static readonly RiskQuestion Staging = new("tested-in-staging", "Has this been tested in staging?",
        [new("yes", "Yes"), new("no", "No", RiskLevel.High)]);

    private static readonly RiskQuestion Backout = new("backout-tested", "Has the backout plan been tested?",
        [new("yes", "Yes"), new("no", "No", RiskLevel.Moderate)]);

    private static RiskModel WithQuestionnaire(int conflictPoints) =>
        new(Levels, [new PerItemRule(RiskRuleKinds.Conflicts, conflictPoints)], [Staging, Backout]);

    private static RiskFacts Answered(params (string Question, string Answer)[] answers) =>
        Facts() with { ConflictCount = 1, Answers = answers.ToDictionary(a => a.Question, a => a.Answer) };

    [Test]
    public void Questionnaire_WhenAnAnswerRaises_LevelIsAtLeastItsLevelAndTheReasonSaysWhy()
    {
        var assessment = WithQuestionnaire(3).Assess(Answered(("tested-in-staging", "no")));
        Assert.Multiple(() =>
        {
            Assert.That((assessment.Level, assessment.ComputedLevel, assessment.Score), Is.EqualTo((RiskLevel.High, RiskLevel.Low, 3)));
            Assert.That(assessment.Reasons[^1], Is.EqualTo(new RiskReason("questionnaire:tested-in-staging",
                "questionnaire: 'Has this been tested in staging?' answered No: at least High", 0)));
            Assert.That(assessment.Reasons[0].Rule, Is.EqualTo("conflicts"));
        });
    }

    [Test]
    public void Questionnaire_WhenTheComputedLevelIsHigher_NeverLowersItAndIsNoReason()
    {
        var assessment = WithQuestionnaire(50).Assess(Answered(("tested-in-staging", "no"), ("backout-tested", "no")));
        Assert.Multiple(() =>
        {
            Assert.That((assessment.Level, assessment.ComputedLevel), Is.EqualTo((RiskLevel.VeryHigh, RiskLevel.VeryHigh)));
            Assert.That(assessment.Reasons.Select(r => r.Rule), Is.EqualTo(new[] { "conflicts" }));
        });
    }

    [Test]
    public void Questionnaire_WhenTwoAnswersRaise_TheHigherCountsAndOnlyItIsAReason()
    {
        var assessment = WithQuestionnaire(0).Assess(Answered(("tested-in-staging", "no"), ("backout-tested", "no")));
        Assert.Multiple(() =>
        {
            Assert.That(assessment.Level, Is.EqualTo(RiskLevel.High));
            Assert.That(assessment.Reasons.Select(r => r.Rule), Is.EqualTo(new[] { "questionnaire:tested-in-staging" }));
        });
    }

    [Test]
    public void Questionnaire_WhenAnswersRaiseNothing_LevelIsTheComputedOne()
    {
        var assessment = WithQuestionnaire(12).Assess(Answered(("tested-in-staging", "yes"), ("backout-tested", "yes")));
        Assert.That((assessment.Level, assessment.ComputedLevel, assessment.Reasons.Count), Is.EqualTo((RiskLevel.Moderate, RiskLevel.Moderate, 1)));
    }

    [Test]
    public void Questionnaire_WhenAnswersAreNoLongerInTheModel_AssessIgnoresThem()
    {
        var assessment = WithQuestionnaire(3).Assess(Answered(("retired-question", "no"), ("tested-in-staging", "maybe")));
        Assert.That((assessment.Level, assessment.Reasons.Count), Is.EqualTo((RiskLevel.Low, 1)));
    }

    [Test]
    public void CheckAnswers_WhenQuestionOrAnswerUnknown_NamesTheFieldAndTheChoices()
    {
        var errors = WithQuestionnaire(0).CheckAnswers(new Dictionary<string, string>
        {
            ["tested-in-staging"] = "maybe", ["backout-tested"] = "yes", ["tested"] = "no",
        }).ToList();
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            ("answers.tested-in-staging", "'maybe' is not an answer to 'Has this been tested in staging?'; the answers are yes, no."),
            ("answers.tested", "there is no risk question 'tested'; the questions are tested-in-staging, backout-tested."),
        }));
    }

    [Test]
    public void CheckAnswers_WhenAllKnown_GivesNoError()
    {
        var answers = new Dictionary<string, string> { ["tested-in-staging"] = "no", ["backout-tested"] = "yes" };
        Assert.That(WithQuestionnaire(0).CheckAnswers(answers), Is.Empty);
    }

    [Test]
    public void CheckAnswers_WhenTheQuestionnaireIsEmpty_SaysSo()
    {
        var error = Model().CheckAnswers(new Dictionary<string, string> { ["x"] = "y" }).Single();
        Assert.That(error, Is.EqualTo(("answers.x", "there is no risk question 'x'; the risk questionnaire is empty.")));
    }
}
