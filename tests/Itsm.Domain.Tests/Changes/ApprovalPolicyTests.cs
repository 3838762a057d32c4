using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tests.Processes;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Changes.ApprovalTestData;

namespace Itsm.Domain.Tests.Changes;

/// <summary>Approval rules and planning: which decisions match and which approvers the graph gives.</summary>
public class ApprovalPolicyTests
{
    // --- rules ---

    [TestCase(0, 3, false)]
    [TestCase(1, 3, true)]
    [TestCase(0, 0, false)]
    public void IsMet_WhenAnyOne_NeedsOneApproval(int approved, int total, bool met) =>
        Assert.That(ApprovalRule.Any.IsMet(approved, total), Is.EqualTo(met));

    [TestCase(2, 3, false)]
    [TestCase(3, 3, true)]
    [TestCase(0, 0, false)]
    public void IsMet_WhenAll_NeedsEveryApproval(int approved, int total, bool met) =>
        Assert.That(ApprovalRule.All.IsMet(approved, total), Is.EqualTo(met));

    [TestCase(1, 5, false)]
    [TestCase(2, 5, true)]
    [TestCase(0, 1, false)]
    [TestCase(1, 1, true)] // M < N: all of them
    public void IsMet_WhenTwoOfM_NeedsTwoOrAllOfFewer(int approved, int total, bool met) =>
        Assert.That(ApprovalRule.NOfM(2).IsMet(approved, total), Is.EqualTo(met));

    [TestCase(2, 5, false)]
    [TestCase(3, 5, true)]   // 60 % of 5 = 3
    [TestCase(1, 3, false)]  // 60 % of 3 = 1.8, rounded up to 2
    [TestCase(2, 3, true)]
    public void IsMet_WhenSixtyPercent_RoundsTheRequiredCountUp(int approved, int total, bool met) =>
        Assert.That(ApprovalRule.Percent(60).IsMet(approved, total), Is.EqualTo(met));

    [Test]
    public void Text_ForEachKind_ReadsForPeople()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ApprovalRule.Any.Text, Is.EqualTo("any one"));
            Assert.That(ApprovalRule.All.Text, Is.EqualTo("all"));
            Assert.That(ApprovalRule.NOfM(2).TextFor(5), Is.EqualTo("2 of 5"));
            Assert.That(ApprovalRule.NOfM(3).TextFor(2), Is.EqualTo("all"));
            Assert.That(ApprovalRule.Percent(60).Text, Is.EqualTo("60 %"));
        });
    }

    [TestCase("any")]
    [TestCase("all")]
    [TestCase("2-of-m")]
    [TestCase("60%")]
    public void Parse_WhenPersistedForm_RoundTrips(string text) =>
        Assert.That(ApprovalRule.Parse(text).ToString(), Is.EqualTo(text));

    [Test]
    public void Parse_WhenPersistedForm_GivesKindAndValue()
    {
        Assert.That(ApprovalRule.Parse("3-of-m"), Is.EqualTo(ApprovalRule.NOfM(3)));
        Assert.That(ApprovalRule.Parse("50%"), Is.EqualTo(ApprovalRule.Percent(50)));
    }

    [TestCase("0-of-m", "N of 1 or more")]
    [TestCase("120%", "from 1 to 100")]
    [TestCase("0%", "from 1 to 100")]
    [TestCase("most", "is not an approval rule")]
    public void Parse_WhenBad_SaysWhatIsWrong(string text, string fault)
    {
        var ex = Assert.Throws<FormatException>(() => ApprovalRule.Parse(text));
        Assert.That(ex!.Message, Does.Contain(fault));
    }

    // --- approver sets drawn from the graph ---

    [Test]
    public void Plan_WhenCiOwners_GivesOneGroupPerDistinctOwnerNamingWhatItOwns()
    {
        var plan = Policy(SingleSet("approvers: ci-owners")).Plan(Facts(cis: [DbPayroll01, AppPayroll, DbPayroll02]), Directory());
        var set = plan.Stages.Single().Sets.Single();
        Assert.That(set.Key, Is.EqualTo("ci-owners"));
        Assert.That(set.Approvers, Is.EqualTo(new[]
        {
            new PlannedApprover(ApproverKind.Group, Dba.Id.ToString("D"), "Database Administration", "owns db-payroll-01, db-payroll-02"),
            new PlannedApprover(ApproverKind.Group, AppTeam.Id.ToString("D"), "Payroll App Team", "owns app-payroll"),
        }));
    }

    [Test]
    public void Plan_WhenOneGroupOwnsManyServices_NamesTheFirstTenAndCountsTheRest()
    {
        var services = Enumerable.Range(1, 12).Select(i => new ApprovalCi(100 + i, $"Service {i:00}", "business-service", 2, ServiceOwners.Id))
            .Append(new ApprovalCi(200, "Service 01", "business-service", 2, ServiceOwners.Id)) // the same name twice counts once
            .ToArray();
        var plan = Policy(SingleSet("approvers: service-owners")).Plan(Facts(cis: [DbPayroll01], services: services), Directory());
        var approver = plan.Stages.Single().Sets.Single().Approvers.Single();
        Assert.That(approver.Why, Is.EqualTo("owns " + string.Join(", ", Enumerable.Range(1, 10).Select(i => $"Service {i:00}")) + " and 2 more"));
    }

    [Test]
    public void Plan_WhenServiceOwners_GivesTheOwnerGroupsOfTheImpactedServices()
    {
        var plan = Policy(SingleSet("approvers: service-owners")).Plan(Facts(cis: [DbPayroll01], services: [PayrollService]), Directory());
        var approver = plan.Stages.Single().Sets.Single().Approvers.Single();
        Assert.That(approver, Is.EqualTo(new PlannedApprover(ApproverKind.Group, ServiceOwners.Id.ToString("D"), "Payroll Service Owners", "owns Payroll")));
    }

    [Test]
    public void Plan_WhenCab_GivesOnePersonPerMember()
    {
        var set = Policy(SingleSet("approvers: cab\n            rule: 2-of-m")).Plan(Facts(), Directory()).Stages.Single().Sets.Single();
        Assert.That(set.Key, Is.EqualTo("cab"));
        Assert.That(set.Label, Is.EqualTo("Change Advisory Board"));
        Assert.That(set.Rule, Is.EqualTo(ApprovalRule.NOfM(2)));
        Assert.That(set.Approvers.Select(a => (a.Kind, a.Id, a.Why)), Is.EqualTo(new[]
        {
            (ApproverKind.Person, "u-ann", "member of Change Advisory Board"),
            (ApproverKind.Person, "u-bob", "member of Change Advisory Board"),
            (ApproverKind.Person, "u-cat", "member of Change Advisory Board"),
            (ApproverKind.Person, "u-req", "member of Change Advisory Board"),
        }));
    }

    [Test]
    public void Plan_WhenTheRequesterSitsOnTheCab_LeavesThemOutAndSaysSo()
    {
        var plan = Policy(SingleSet("approvers: cab")).Plan(Facts() with { RequesterId = "u-req" }, Directory());
        Assert.That(plan.Stages.Single().Sets.Single().Approvers.Select(a => a.Id), Is.EqualTo(new[] { "u-ann", "u-bob", "u-cat" }));
        Assert.That(plan.Explanation, Has.Some.Contains("Rita Requester is not asked"));
    }

    [Test]
    public void Plan_WhenEmergencyCab_GivesItsMembers()
    {
        var set = Policy(SingleSet("approvers: ecab\n            rule: any")).Plan(Facts(), Directory()).Stages.Single().Sets.Single();
        Assert.That((set.Key, set.Label), Is.EqualTo(("ecab", "Emergency CAB")));
        Assert.That(set.Approvers.Select(a => a.Id), Is.EqualTo(new[] { "u-dan" }));
    }

    [Test]
    public void Plan_WhenNamedGroup_GivesTheGroupAsOneApprover()
    {
        var set = Policy(SingleSet("approvers: group:Database Administration")).Plan(Facts(), Directory()).Stages.Single().Sets.Single();
        Assert.That(set.Key, Is.EqualTo("group:Database Administration"));
        Assert.That(set.Approvers.Single(), Is.EqualTo(new PlannedApprover(ApproverKind.Group, Dba.Id.ToString("D"), "Database Administration", "named in the approval policy")));
    }

    [Test]
    public void Plan_WhenNamedGroupAsMembers_GivesEachMember()
    {
        var set = Policy(SingleSet("approvers: group:Change Advisory Board\n            as: members")).Plan(Facts(), Directory()).Stages.Single().Sets.Single();
        Assert.That(set.Approvers, Has.All.Property(nameof(PlannedApprover.Kind)).EqualTo(ApproverKind.Person));
        Assert.That(set.Approvers, Has.Count.EqualTo(4));
    }

    [Test]
    public void Plan_WhenNamedPerson_GivesThatPerson()
    {
        var set = Policy(SingleSet("approvers: person:ann")).Plan(Facts(), Directory()).Stages.Single().Sets.Single();
        Assert.That(set.Key, Is.EqualTo("person:ann"));
        Assert.That(set.Approvers.Single(), Is.EqualTo(new PlannedApprover(ApproverKind.Person, "u-ann", "Ann Archer", "named in the approval policy")));
    }

    // --- an empty set never passes silently ---

    [Test]
    public void Plan_WhenNoCiHasAnOwnerGroup_AsksTheFallbackGroupAndSaysWhy()
    {
        var set = Policy(SingleSet("approvers: ci-owners")).Plan(Facts(cis: [Unowned]), Directory()).Stages.Single().Sets.Single();
        var approver = set.Approvers.Single();
        Assert.That((approver.Kind, approver.Id, approver.Name), Is.EqualTo((ApproverKind.Group, ChangeManagement.Id.ToString("D"), "Change Management")));
        Assert.That(approver.Why, Does.StartWith("fallback: none of the affected CIs has a known owner group"));
        Assert.That(set.Key, Is.EqualTo("ci-owners"), "the set keeps its key, so a later owner replaces the fallback");
    }

    [Test]
    public void Plan_WhenTheChangeImpactsNoService_AsksTheFallbackGroupForTheServiceOwners()
    {
        var approver = Policy(SingleSet("approvers: service-owners")).Plan(Facts(cis: [DbPayroll01]), Directory()).Stages.Single().Sets.Single().Approvers.Single();
        Assert.That(approver.Name, Is.EqualTo("Change Management"));
        Assert.That(approver.Why, Does.Contain("the change impacts no business service"));
    }

    [Test]
    public void Plan_WhenTheCabHasNoMembers_AsksTheFallbackGroup()
    {
        var directory = Directory();
        directory.Groups.Remove(Cab);
        directory.Groups.Add(Cab with { Members = [] });
        var approver = Policy(SingleSet("approvers: cab")).Plan(Facts(), directory).Stages.Single().Sets.Single().Approvers.Single();
        Assert.That(approver.Why, Does.Contain("'Change Advisory Board' has no members"));
        Assert.That(approver.Name, Is.EqualTo("Change Management"));
    }

    [Test]
    public void Plan_WhenOwnerGroupIsUnknown_TreatsTheCiAsUnownedAndExplains()
    {
        var stray = new ApprovalCi(9, "db-stray", "database", 3, Guid.Parse("99999999-0000-0000-0000-000000000000"));
        var plan = Policy(SingleSet("approvers: ci-owners")).Plan(Facts(cis: [stray]), Directory());
        Assert.That(plan.Stages.Single().Sets.Single().Approvers.Single().Name, Is.EqualTo("Change Management"));
        Assert.That(plan.Explanation, Has.Some.Contains("db-stray's owner group 99999999-0000-0000-0000-000000000000 does not exist"));
    }

    [Test]
    public void Plan_WhenTheFallbackGroupIsNeededButMissing_Refuses()
    {
        var directory = Directory();
        directory.Groups.Remove(ChangeManagement);
        var ex = Assert.Throws<BusinessRuleException>(() => Policy(SingleSet("approvers: ci-owners")).Plan(Facts(cis: [Unowned]), directory));
        Assert.That(ex!.Rule, Is.EqualTo("approval-fallback-missing"));
    }

    [Test]
    public void Plan_WhenTheFallbackGroupsOnlyMemberImplementsTheChange_NamesTheBlocker_AndApprovalsRefuseToStart()
    {
        var facts = Facts(cis: [Unowned]) with { ImplementerId = Gus.UserId };
        var plan = Policy(SingleSet("approvers: ci-owners")).Plan(facts, Directory());
        Assert.That(plan.Blocker, Does.Contain("Change Management").And.Contain("its only members requested or implement the change"));
        var ex = Assert.Throws<BusinessRuleException>(() => ChangeApprovals.Start(plan, Guid.NewGuid(), 1, DateTimeOffset.UnixEpoch));
        Assert.That(ex!.Rule, Is.EqualTo("approval-fallback-unavailable"));
        Assert.That(ex.Message, Is.EqualTo(plan.Blocker));
        Assert.That(Policy(SingleSet("approvers: ci-owners")).Plan(Facts(cis: [Unowned]), Directory()).Blocker, Is.Null,
            "with someone else implementing, Gus may decide");
    }

    [Test]
    public void Plan_WhenNoDecisionMatches_AsksTheFallbackGroup()
    {
        var policy = Policy(Yaml("first-match", """
              - name: emergencies
                when: { type: [emergency] }
                approval: owners
            """));
        var plan = policy.Plan(Facts(ChangeType.Normal), Directory());
        Assert.That(plan.Stages.Single().Sets.Single().Approvers.Single().Name, Is.EqualTo("Change Management"));
        Assert.That(plan.Explanation.Single(), Does.Contain("No decision of the policy matches"));
    }

    [Test]
    public void Plan_WhenTheDecisionNeedsNoApproval_HasNoStages()
    {
        var policy = Policy(Yaml("first-match", """
              - name: standard
                when: { type: [standard] }
                approval: none
            """));
        var plan = policy.Plan(Facts(ChangeType.Standard), Directory());
        Assert.That(plan.NeedsApproval, Is.False);
        Assert.That(plan.Explanation.Single(), Is.EqualTo("Decision 'standard' matches (the type is Standard): no approval is needed."));
    }

    // --- conditions ---

    [TestCase(RiskLevel.Moderate, false)]
    [TestCase(RiskLevel.High, true)]
    [TestCase(RiskLevel.VeryHigh, true)]
    public void Matches_WhenRiskAtLeastHigh_HoldsFromHighUp(RiskLevel risk, bool matches) =>
        Assert.That(new ApprovalCondition { RiskAtLeast = RiskLevel.High }.Matches(Facts(risk: risk), out _), Is.EqualTo(matches));

    [Test]
    public void Matches_WhenServiceCriticalityAtMost_LooksAtTheMostCriticalImpactedService()
    {
        var condition = new ApprovalCondition { ServiceCriticalityAtMost = 1 };
        var hr = new ApprovalCi(21, "HR Portal", "business-service", 3, null);
        Assert.That(condition.Matches(Facts(services: [hr]), out _), Is.False);
        Assert.That(condition.Matches(Facts(services: [hr, PayrollService]), out var reasons), Is.True);
        Assert.That(reasons.Single(), Is.EqualTo("impacted service Payroll has criticality 1"));
        Assert.That(condition.Matches(Facts(), out _), Is.False, "no impacted service is not a critical one");
    }

    [Test]
    public void Matches_WhenCiClass_HoldsWhenAnyAffectedCiIsOfTheClass()
    {
        var condition = new ApprovalCondition { CiClasses = ["database"] };
        Assert.That(condition.Matches(Facts(cis: [AppPayroll]), out _), Is.False);
        Assert.That(condition.Matches(Facts(cis: [AppPayroll, DbPayroll01]), out var reasons), Is.True);
        Assert.That(reasons.Single(), Is.EqualTo("db-payroll-01 is a database"));
    }

    [Test]
    public void Matches_WhenSeveralConditions_NeedsAllOfThem()
    {
        var condition = new ApprovalCondition { Types = [ChangeType.Normal], RiskAtLeast = RiskLevel.High };
        Assert.That(condition.Matches(Facts(ChangeType.Normal, RiskLevel.Low), out _), Is.False);
        Assert.That(condition.Matches(Facts(ChangeType.Emergency, RiskLevel.High), out _), Is.False);
        Assert.That(condition.Matches(Facts(ChangeType.Normal, RiskLevel.High), out _), Is.True);
    }

    [Test]
    public void Matches_WhenAlways_HoldsForAnyChange() =>
        Assert.That(ApprovalCondition.Always.Matches(Facts(ChangeType.Emergency, RiskLevel.Low), out _), Is.True);

    // --- first match or all matches ---

    private const string TwoDecisions = """
          - name: databases
            when: { ci-class: [database] }
            approval: dba
          - name: every-change
            when: always
            approval: owners
        """;

    [Test]
    public void Plan_WhenFirstMatch_UsesOnlyTheFirstMatchingDecision()
    {
        var plan = Policy(Yaml("first-match", TwoDecisions)).Plan(Facts(cis: [DbPayroll01, AppPayroll]), Directory());
        Assert.That(plan.Stages.Select(st => st.Sets.Single().Key), Is.EqualTo(new[] { "group:Database Administration", "cab" }));
        Assert.That(plan.Stages[1].Sets[0].Rule, Is.EqualTo(ApprovalRule.NOfM(2)), "the CAB rule of the dba definition alone");
        Assert.That(plan.Explanation, Has.Count.EqualTo(1).And.Some.Contains("Decision 'databases' matches (db-payroll-01 is a database)"));
    }

    [Test]
    public void Plan_WhenAllMatches_MergesStagesByOrderAndDeduplicatesWithinASet()
    {
        var plan = Policy(Yaml("all-matches", TwoDecisions)).Plan(Facts(cis: [DbPayroll01, AppPayroll]), Directory());
        Assert.That(plan.Explanation, Has.Count.EqualTo(2));
        Assert.That(plan.Stages, Has.Count.EqualTo(2));
        // Stage 1 of both definitions: the DBA group and the CI owners (which again include the DBA, in its own set).
        Assert.That(plan.Stages[0].Sets.Select(s => s.Key), Is.EqualTo(new[] { "group:Database Administration", "ci-owners" }));
        Assert.That(plan.Stages[0].Sets[1].Approvers.Select(a => a.Name), Is.EqualTo(new[] { "Database Administration", "Payroll App Team" }));
        // Both definitions ask the CAB in stage 2: one set, each member once, the stricter rule (75 % of 4 = 3 over 2 of 4)
        // although the first matching definition (dba) asks 2 of M.
        var cab = plan.Stages[1].Sets.Single();
        Assert.That(cab.Key, Is.EqualTo("cab"));
        Assert.That(cab.Approvers.Select(a => a.Id), Is.EqualTo(new[] { "u-ann", "u-bob", "u-cat", "u-req" }));
        Assert.That(cab.Rule, Is.EqualTo(ApprovalRule.Percent(75)));
    }

    // --- the shipped policy ---

    private static ApprovalPolicy Shipped() =>
        ChangeApprovalPolicyReader.Load(Path.Combine(ProcessTestFiles.ProcessesDirectory, ProcessDefinitionLoader.ChangeApprovalsFile));

    [Test]
    public void ShippedPolicy_WhenStandardChange_NeedsNoApproval() =>
        Assert.That(Shipped().Plan(Facts(ChangeType.Standard, RiskLevel.High, cis: [DbPayroll01]), Directory()).Stages, Is.Empty);

    [TestCase(RiskLevel.Low)]
    [TestCase(RiskLevel.Moderate)]
    public void ShippedPolicy_WhenNormalLowOrModerate_AsksEveryCiOwnerGroup(RiskLevel risk)
    {
        var plan = Shipped().Plan(Facts(ChangeType.Normal, risk, cis: [DbPayroll01, AppPayroll], services: [PayrollService]), Directory());
        var set = plan.Stages.Single().Sets.Single();
        Assert.That((set.Key, set.Rule), Is.EqualTo(("ci-owners", ApprovalRule.All)));
        Assert.That(set.Approvers.Select(a => a.Name), Is.EqualTo(new[] { "Database Administration", "Payroll App Team" }));
    }

    [TestCase(RiskLevel.High)]
    [TestCase(RiskLevel.VeryHigh)]
    public void ShippedPolicy_WhenNormalHighRisk_AsksOwnersThenHalfTheCab(RiskLevel risk)
    {
        var plan = Shipped().Plan(Facts(ChangeType.Normal, risk, cis: [DbPayroll01], services: [PayrollService]), Directory());
        Assert.That(plan.Stages.Select(s => s.Order), Is.EqualTo(new[] { 1, 2 }));
        Assert.That(plan.Stages[0].Sets.Select(s => (s.Key, s.Approvers.Single().Name)), Is.EqualTo(new[]
        {
            ("ci-owners", "Database Administration"),
            ("service-owners", "Payroll Service Owners"),
        }));
        var cab = plan.Stages[1].Sets.Single();
        Assert.That((cab.Key, cab.Rule, cab.Approvers.Count), Is.EqualTo(("cab", ApprovalRule.Percent(50), 4)));
        Assert.That(plan.Explanation.Single(), Does.Contain("'normal-high-risk'"));
    }

    [Test]
    public void ShippedPolicy_WhenEmergency_AsksAnyOneOfTheEmergencyCab()
    {
        var set = Shipped().Plan(Facts(ChangeType.Emergency, RiskLevel.VeryHigh, cis: [DbPayroll01]), Directory()).Stages.Single().Sets.Single();
        Assert.That((set.Key, set.Rule), Is.EqualTo(("ecab", ApprovalRule.Any)));
        Assert.That(set.Approvers.Single().Name, Is.EqualTo("Dan Duty"));
    }

    // --- helpers ---

    /// <summary>A policy whose one decision always asks one stage with the given set.</summary>
    private static string SingleSet(string set) => $"""
        mode: first-match
        cab-group: Change Advisory Board
        emergency-cab-group: Emergency CAB
        fallback-group: Change Management
        decisions:
          - name: every-change
            when: always
            approval: only
        definitions:
          - id: only
            stages:
              - name: Approval
                sets:
                  - {set}
        """;

    /// <summary>A policy with the given decisions over two definitions, owners and dba, each asking the CAB in stage 2 with its own rule.</summary>
    private static string Yaml(string mode, string decisions) => $"""
        mode: {mode}
        cab-group: Change Advisory Board
        emergency-cab-group: Emergency CAB
        fallback-group: Change Management
        decisions:
        {decisions}
        definitions:
          - id: owners
            stages:
              - name: Owners
                sets:
                  - approvers: ci-owners
              - name: CAB
                sets:
                  - approvers: cab
                    rule: 75%
          - id: dba
            stages:
              - name: DBA
                sets:
                  - approvers: group:Database Administration
              - name: CAB
                sets:
                  - approvers: cab
                    rule: 2-of-m
        """;

    internal static ApprovalPolicy Policy(string yaml)
    {
        var errors = new List<DefinitionError>();
        var policy = ChangeApprovalPolicyReader.Read("test.yaml", yaml, errors);
        Assert.That(errors, Is.Empty, "the test policy must be valid");
        return policy!;
    }
}

/// <summary>A small organisation: owner groups, the CAB, the emergency CAB, the fallback group, and CIs of a payroll service.</summary>
internal static class ApprovalTestData
{
    public static readonly ApproverPerson Ann = new("u-ann", "ann", "Ann Archer");
    public static readonly ApproverPerson Bob = new("u-bob", "bob", "Bob Baker");
    public static readonly ApproverPerson Cat = new("u-cat", "cat", "Cat Cole");
    public static readonly ApproverPerson Dan = new("u-dan", "dan", "Dan Duty");
    public static readonly ApproverPerson Eve = new("u-eve", "eve", "Eve Ellis");
    public static readonly ApproverPerson Fay = new("u-fay", "fay", "Fay Ford");
    public static readonly ApproverPerson Gus = new("u-gus", "gus", "Gus Grant");
    public static readonly ApproverPerson Hal = new("u-hal", "hal", "Hal Hart");
    public static readonly ApproverPerson Requester = new("u-req", "req", "Rita Requester");
    public static readonly ApproverPerson Implementer = new("u-imp", "imp", "Ian Implementer");

    public static readonly ApproverGroup Dba = new(Guid.Parse("11111111-0000-0000-0000-000000000001"), "Database Administration", [Eve, Implementer]);
    public static readonly ApproverGroup AppTeam = new(Guid.Parse("11111111-0000-0000-0000-000000000002"), "Payroll App Team", [Fay]);
    public static readonly ApproverGroup ServiceOwners = new(Guid.Parse("11111111-0000-0000-0000-000000000003"), "Payroll Service Owners", [Hal]);
    public static readonly ApproverGroup Cab = new(Guid.Parse("11111111-0000-0000-0000-000000000004"), "Change Advisory Board", [Ann, Bob, Cat, Requester]);
    public static readonly ApproverGroup Ecab = new(Guid.Parse("11111111-0000-0000-0000-000000000005"), "Emergency CAB", [Dan]);
    public static readonly ApproverGroup ChangeManagement = new(Guid.Parse("11111111-0000-0000-0000-000000000006"), "Change Management", [Gus]);
    public static readonly ApproverGroup Network = new(Guid.Parse("11111111-0000-0000-0000-000000000007"), "Network Team", [Bob]);

    public static readonly ApprovalCi DbPayroll01 = new(1, "db-payroll-01", "database", 2, Dba.Id);
    public static readonly ApprovalCi DbPayroll02 = new(2, "db-payroll-02", "database", 2, Dba.Id);
    public static readonly ApprovalCi AppPayroll = new(3, "app-payroll", "application", 2, AppTeam.Id);
    public static readonly ApprovalCi Switch = new(4, "sw-core-01", "network-switch", 1, Network.Id);
    public static readonly ApprovalCi Unowned = new(5, "srv-lab-07", "server", 4, null);
    public static readonly ApprovalCi PayrollService = new(20, "Payroll", "business-service", 1, ServiceOwners.Id);

    public static FakeDirectory Directory() => new([Dba, AppTeam, ServiceOwners, Cab, Ecab, ChangeManagement, Network]);

    public static ApprovalFacts Facts(ChangeType type = ChangeType.Normal, RiskLevel risk = RiskLevel.Low,
        ApprovalCi[]? cis = null, ApprovalCi[]? services = null) =>
        new() { Type = type, Risk = risk, Cis = cis ?? [], ImpactedServices = services ?? [] };

    public static Actor ActorFor(ApproverPerson person) =>
        new(person.UserId, person.DisplayName, new HashSet<string> { Roles.CabMember }, new HashSet<Guid>());

    internal sealed class FakeDirectory(List<ApproverGroup> groups) : IApproverDirectory
    {
        public List<ApproverGroup> Groups { get; } = groups;

        public ApproverGroup? GroupById(Guid id) => Groups.FirstOrDefault(g => g.Id == id);
        public ApproverGroup? GroupByName(string name) => Groups.FirstOrDefault(g => g.Name == name);
        public ApproverPerson? PersonByUserName(string userName) =>
            Groups.SelectMany(g => g.Members).FirstOrDefault(p => p.UserName == userName);

        public bool IsMember(Guid group, string userId) => GroupById(group)?.Members.Any(m => m.UserId == userId) == true;
    }
}
