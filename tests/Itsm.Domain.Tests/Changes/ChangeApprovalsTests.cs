using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Common;
using static Itsm.Domain.Tests.Changes.ApprovalTestData;

namespace Itsm.Domain.Tests.Changes;

/// <summary>Running a change's approvals: stages, rules, who may decide, delegation, rework and recomputation.</summary>
public class ChangeApprovalsTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid ChangeId = Guid.Parse("22222222-0000-0000-0000-000000000001");

    /// <summary>Owners first (every owner group), then 2 of the CAB's members.</summary>
    private const string OwnersThenCab = """
        mode: first-match
        cab-group: Change Advisory Board
        emergency-cab-group: Emergency CAB
        fallback-group: Change Management
        decisions:
          - name: every-change
            when: always
            approval: owners-then-cab
        definitions:
          - id: owners-then-cab
            stages:
              - name: Owner approval
                sets:
                  - approvers: ci-owners
                    rule: all
                  - approvers: service-owners
                    rule: all
              - name: CAB approval
                sets:
                  - approvers: cab
                    rule: 2-of-m
        """;

    private static readonly ApprovalPolicy Policy = ApprovalPolicyTests.Policy(OwnersThenCab);
    private static readonly ApprovalTestData.FakeDirectory Dir = Directory();

    private static ApprovalFacts PayrollFacts(params ApprovalCi[] cis) =>
        Facts(ChangeType.Normal, RiskLevel.High, cis: cis, services: [PayrollService]) with { RequesterId = Requester.UserId, ImplementerId = Implementer.UserId };

    private static List<ChangeApproval> StartPayroll(params ApprovalCi[] cis) =>
        [.. ChangeApprovals.Start(Policy.Plan(PayrollFacts(cis.Length == 0 ? [DbPayroll01, AppPayroll] : cis), Dir), ChangeId, 1, T0)];

    private static ApproverContext Context(params ApprovalDelegation[] delegations) =>
        new(Requester.UserId, Implementer.UserId, Dir.IsMember, delegations);

    private static ChangeApproval Row(IEnumerable<ChangeApproval> rows, string approverName) =>
        rows.Single(r => r.ApproverName == approverName && r.State != ApprovalState.Canceled);

    private static ApprovalDecisionResult Approve(List<ChangeApproval> rows, string approverName, ApproverPerson by, DateTimeOffset? at = null,
        ApproverContext? ctx = null) =>
        ChangeApprovals.Decide(rows, Row(rows, approverName).Id, true, "fine by us", ActorFor(by), ctx ?? Context(), at ?? T0.AddHours(1));

    /// <summary>A plan of one stage with one set, for the rule tests.</summary>
    private static List<ChangeApproval> StartOneSet(ApprovalRule rule, params ApproverPerson[] people)
    {
        var set = new PlannedSet("cab", "Change Advisory Board", rule,
            people.Select(p => new PlannedApprover(ApproverKind.Person, p.UserId, p.DisplayName, "member of Change Advisory Board")).ToList());
        return [.. ChangeApprovals.Start(new ApprovalPlan([new PlannedStage(1, "CAB approval", [set])], []), ChangeId, 1, T0)];
    }

    // --- starting ---

    [Test]
    public void Start_WhenTwoStages_AsksTheFirstAndLetsTheSecondWait()
    {
        var rows = StartPayroll();
        Assert.That(rows.Select(r => (r.Stage, r.SetKey, r.ApproverName, r.State)), Is.EqualTo(new[]
        {
            (1, "ci-owners", "Database Administration", ApprovalState.Requested),
            (1, "ci-owners", "Payroll App Team", ApprovalState.Requested),
            (1, "service-owners", "Payroll Service Owners", ApprovalState.Requested),
            (2, "cab", "Ann Archer", ApprovalState.Waiting),
            (2, "cab", "Bob Baker", ApprovalState.Waiting),
            (2, "cab", "Cat Cole", ApprovalState.Waiting),
        }));
        var dba = rows[0];
        Assert.Multiple(() =>
        {
            Assert.That((dba.ChangeId, dba.Round, dba.StageName, dba.Rule, dba.Kind), Is.EqualTo((ChangeId, 1, "Owner approval", "all", ApproverKind.Group)));
            Assert.That((dba.ApproverId, dba.Why), Is.EqualTo((Dba.Id.ToString("D"), "owns db-payroll-01")));
            Assert.That((dba.CreatedAt, dba.RequestedAt), Is.EqualTo((T0, (DateTimeOffset?)T0)));
            Assert.That(rows[3].RequestedAt, Is.Null);
            Assert.That(rows.Select(r => r.Id).Distinct().Count(), Is.EqualTo(6));
        });
        Assert.That(ChangeApprovals.Evaluate(rows).State, Is.EqualTo(ApprovalOutcomeState.Pending));
    }

    [Test]
    public void Start_WhenThePlanNeedsNoApproval_GivesNoRows()
    {
        var rows = ChangeApprovals.Start(new ApprovalPlan([], ["no approval is needed"]), ChangeId, 1, T0);
        Assert.That(rows, Is.Empty);
        Assert.That(ChangeApprovals.Evaluate(rows).State, Is.EqualTo(ApprovalOutcomeState.NotStarted));
    }

    // --- stages and rules ---

    [Test]
    public void Decide_WhenEveryOwnerOfTheStageApproves_AsksTheNextStageInTheSameCall()
    {
        var rows = StartPayroll();
        var first = Approve(rows, "Database Administration", Eve);
        Assert.That(first.Outcome.CurrentStage, Is.EqualTo(1), "the app team has not approved yet: rule all");
        Assert.That(first.Requested, Is.Empty);
        Approve(rows, "Payroll App Team", Fay);
        var last = Approve(rows, "Payroll Service Owners", Hal, T0.AddHours(2));

        Assert.That(last.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Pending));
        Assert.That((last.Outcome.CurrentStage, last.Outcome.CurrentStageName), Is.EqualTo(((int?)2, "CAB approval")));
        Assert.That(last.Requested.Select(r => r.ApproverName), Is.EqualTo(new[] { "Ann Archer", "Bob Baker", "Cat Cole" }));
        Assert.That(last.Requested, Has.All.Property(nameof(ChangeApproval.State)).EqualTo(ApprovalState.Requested)
            .And.All.Property(nameof(ChangeApproval.RequestedAt)).EqualTo(T0.AddHours(2)));
    }

    [Test]
    public void Decide_WhenAnyOneRuleIsMet_WithdrawsTheOtherRequestsOfTheStageAsNotNeeded()
    {
        var rows = StartOneSet(ApprovalRule.Any, Ann, Bob, Cat);
        var result = Approve(rows, "Bob Baker", Bob);
        Assert.That(result.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Approved));
        Assert.That(result.Canceled.Select(r => r.ApproverName), Is.EqualTo(new[] { "Ann Archer", "Cat Cole" }));
        Assert.That(result.Canceled, Has.All.Property(nameof(ChangeApproval.CanceledReason)).EqualTo("not needed: the set's rule is met"));
    }

    [Test]
    public void Decide_WhenAllRule_IsApprovedOnlyWithTheLastApproval()
    {
        var rows = StartOneSet(ApprovalRule.All, Ann, Bob);
        Assert.That(Approve(rows, "Ann Archer", Ann).Outcome.State, Is.EqualTo(ApprovalOutcomeState.Pending));
        Assert.That(Approve(rows, "Bob Baker", Bob).Outcome.State, Is.EqualTo(ApprovalOutcomeState.Approved));
    }

    [Test]
    public void Decide_WhenTwoOfM_IsApprovedWithTheSecondApproval()
    {
        var rows = StartOneSet(ApprovalRule.NOfM(2), Ann, Bob, Cat);
        var first = Approve(rows, "Ann Archer", Ann);
        Assert.That(first.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Pending));
        Assert.That(first.Outcome.Sets.Single().Text, Is.EqualTo("1 of 3 approved, 2 of 3 needed"));
        var second = Approve(rows, "Cat Cole", Cat);
        Assert.That(second.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Approved));
        Assert.That(second.Canceled.Single().ApproverName, Is.EqualTo("Bob Baker"));
    }

    [Test]
    public void Decide_WhenSixtyPercent_NeedsThreeOfFour()
    {
        var rows = StartOneSet(ApprovalRule.Percent(60), Ann, Bob, Cat, Dan);
        Approve(rows, "Ann Archer", Ann);
        Assert.That(Approve(rows, "Bob Baker", Bob).Outcome.State, Is.EqualTo(ApprovalOutcomeState.Pending));
        var third = Approve(rows, "Cat Cole", Cat);
        Assert.That(third.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Approved));
        Assert.That(third.Outcome.Sets.Single(), Has.Property(nameof(ApprovalSetProgress.Approved)).EqualTo(3)
            .And.Property(nameof(ApprovalSetProgress.IsMet)).True);
    }

    [Test]
    public void Decide_WhenRejectedInTheFirstStage_RejectsTheChangeAndWithdrawsEveryPendingApproval()
    {
        var rows = StartPayroll();
        Approve(rows, "Database Administration", Eve);
        var result = ChangeApprovals.Decide(rows, Row(rows, "Payroll App Team").Id, false, "the payroll run is on Friday", ActorFor(Fay), Context(), T0.AddHours(1));

        Assert.That(result.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Rejected));
        Assert.That((result.Outcome.CurrentStage, result.Outcome.RejectedBy), Is.EqualTo(((int?)1, "Fay Ford")));
        Assert.That(result.Outcome.Rejection!.Comment, Is.EqualTo("the payroll run is on Friday"));
        Assert.That(result.Canceled.Select(r => r.ApproverName), Is.EqualTo(new[] { "Payroll Service Owners", "Ann Archer", "Bob Baker", "Cat Cole" }));
        Assert.That(result.Canceled, Has.All.Property(nameof(ChangeApproval.CanceledReason)).EqualTo("not needed: Fay Ford rejected the change"));
        Assert.That(Row(rows, "Database Administration").State, Is.EqualTo(ApprovalState.Approved), "given approvals stay");
    }

    [Test]
    public void Decide_WhenRejectedInTheLastStage_RejectsTheChangeAlthoughEarlierStagesWereApproved()
    {
        var rows = StartPayroll();
        Approve(rows, "Database Administration", Eve);
        Approve(rows, "Payroll App Team", Fay);
        Approve(rows, "Payroll Service Owners", Hal);
        Approve(rows, "Ann Archer", Ann);
        var result = ChangeApprovals.Decide(rows, Row(rows, "Bob Baker").Id, false, "no back-out plan", ActorFor(Bob), Context(), T0.AddHours(3));
        Assert.That(result.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Rejected));
        Assert.That(result.Outcome.CurrentStage, Is.EqualTo(2));
        Assert.That(ChangeApprovals.Evaluate(rows).State, Is.EqualTo(ApprovalOutcomeState.Rejected));
    }

    [TestCase(null)]
    [TestCase("   ")]
    public void Decide_WhenRejectingWithoutAComment_AsksForOne(string? comment)
    {
        var rows = StartPayroll();
        var ex = Assert.Throws<FieldValidationException>(() =>
            ChangeApprovals.Decide(rows, Row(rows, "Payroll App Team").Id, false, comment, ActorFor(Fay), Context(), T0));
        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "comment" }));
        Assert.That(Row(rows, "Payroll App Team").State, Is.EqualTo(ApprovalState.Requested));
    }

    [Test]
    public void Decide_WhenTheCommentIsTooLong_RefusesIt()
    {
        var rows = StartPayroll();
        var ex = Assert.Throws<FieldValidationException>(() =>
            ChangeApprovals.Decide(rows, Row(rows, "Payroll App Team").Id, true, new string('x', ChangeApproval.CommentMax + 1), ActorFor(Fay), Context(), T0));
        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "comment" }));
    }

    [Test]
    public void Decide_WhenTheStageIsNotReached_SaysWhichStageComesFirst()
    {
        var rows = StartPayroll();
        var ex = Assert.Throws<BusinessRuleException>(() => Approve(rows, "Ann Archer", Ann));
        Assert.That(ex!.Rule, Is.EqualTo("approval-not-requested"));
        Assert.That(ex.Message, Is.EqualTo("This approval is asked in stage 2 (CAB approval); stage 1 (Owner approval) must be approved first."));
    }

    [Test]
    public void Decide_WhenAlreadyDecided_SaysByWhomAndWhen()
    {
        var rows = StartPayroll();
        var id = Row(rows, "Database Administration").Id;
        Approve(rows, "Database Administration", Eve);
        var ex = Assert.Throws<BusinessRuleException>(() => ChangeApprovals.Decide(rows, id, false, "changed my mind", ActorFor(Eve), Context(), T0.AddHours(2)));
        Assert.That(ex!.Rule, Is.EqualTo("approval-already-decided"));
        Assert.That(ex.Message, Is.EqualTo("This approval was already approved by Eve Ellis on 2025-03-03 10:00."));
    }

    [Test]
    public void Decide_WhenTheApprovalIsUnknown_NotFound()
    {
        var rows = StartPayroll();
        Assert.Throws<NotFoundException>(() => ChangeApprovals.Decide(rows, Guid.NewGuid(), true, null, ActorFor(Eve), Context(), T0));
    }

    // --- who decides ---

    [Test]
    public void Decide_WhenAGroupMemberApproves_DecidesForTheGroupAndIsAudited()
    {
        var rows = StartPayroll();
        var result = Approve(rows, "Database Administration", Eve, T0.AddMinutes(30));
        var row = result.Decision;
        Assert.Multiple(() =>
        {
            Assert.That(row.State, Is.EqualTo(ApprovalState.Approved));
            Assert.That((row.DecidedById, row.DecidedByName, row.DecidedAt), Is.EqualTo(("u-eve", "Eve Ellis", (DateTimeOffset?)T0.AddMinutes(30))));
            Assert.That(row.Comment, Is.EqualTo("fine by us"));
            Assert.That(row.OnBehalfOfId, Is.Null);
        });
    }

    [Test]
    public void Decide_WhenNotAMemberOfTheGroup_IsForbidden()
    {
        var rows = StartPayroll();
        var ex = Assert.Throws<ForbiddenException>(() => Approve(rows, "Database Administration", Fay));
        Assert.That(ex!.Message, Does.Contain("only its members or their delegates"));
    }

    [Test]
    public void Decide_WhenSomeoneElseDecidesAPersonsApproval_IsForbidden()
    {
        var rows = StartOneSet(ApprovalRule.Any, Ann, Bob);
        Assert.Throws<ForbiddenException>(() => Approve(rows, "Ann Archer", Bob));
    }

    [Test]
    public void Decide_WhenTheRequesterDecides_IsForbiddenThoughAMember()
    {
        var rows = StartOneSet(ApprovalRule.Any, Ann, Requester);
        var ex = Assert.Throws<ForbiddenException>(() => Approve(rows, "Rita Requester", Requester));
        Assert.That(ex!.Message, Is.EqualTo("You requested this change; nobody approves their own change."));
    }

    [Test]
    public void Decide_WhenTheImplementerDecidesForTheirGroup_IsForbidden()
    {
        var rows = StartPayroll();
        var ex = Assert.Throws<ForbiddenException>(() => Approve(rows, "Database Administration", Implementer));
        Assert.That(ex!.Message, Is.EqualTo("You implement this change; nobody approves their own change."));
        Assert.That(Row(rows, "Database Administration").State, Is.EqualTo(ApprovalState.Requested));
    }

    [Test]
    public void Decide_WhenTheApproverDelegated_TheDelegateDecidesOnTheirBehalf()
    {
        var rows = StartOneSet(ApprovalRule.All, Ann, Bob);
        var delegation = ApprovalDelegation.Create(Ann.UserId, Ann.DisplayName, Gus.UserId, Gus.DisplayName, T0.AddDays(-1), T0.AddDays(7), T0.AddDays(-1));
        var row = Approve(rows, "Ann Archer", Gus, ctx: Context(delegation)).Decision;
        Assert.That((row.DecidedById, row.OnBehalfOfId, row.OnBehalfOfName), Is.EqualTo(("u-gus", "u-ann", "Ann Archer")));
    }

    [Test]
    public void Decide_WhenTheDelegationHasExpired_IsForbidden()
    {
        var rows = StartOneSet(ApprovalRule.All, Ann, Bob);
        var delegation = ApprovalDelegation.Create(Ann.UserId, Ann.DisplayName, Gus.UserId, Gus.DisplayName, T0.AddDays(-10), T0.AddDays(-1), T0.AddDays(-10));
        Assert.Throws<ForbiddenException>(() => Approve(rows, "Ann Archer", Gus, ctx: Context(delegation)));
    }

    [Test]
    public void Decide_WhenTheDelegationIsToSomeoneElse_IsForbidden()
    {
        var rows = StartOneSet(ApprovalRule.All, Ann, Bob);
        var delegation = ApprovalDelegation.Create(Ann.UserId, Ann.DisplayName, Hal.UserId, Hal.DisplayName, T0.AddDays(-1), T0.AddDays(7), T0.AddDays(-1));
        Assert.Throws<ForbiddenException>(() => Approve(rows, "Ann Archer", Gus, ctx: Context(delegation)));
    }

    [Test]
    public void Decide_WhenADelegateOfAGroupMember_DecidesForTheGroupOnBehalfOfThatMember()
    {
        var rows = StartPayroll();
        var delegation = ApprovalDelegation.Create(Eve.UserId, Eve.DisplayName, Gus.UserId, Gus.DisplayName, T0, T0.AddDays(14), T0);
        var row = Approve(rows, "Database Administration", Gus, ctx: Context(delegation)).Decision;
        Assert.That((row.State, row.DecidedByName, row.OnBehalfOfId, row.OnBehalfOfName),
            Is.EqualTo((ApprovalState.Approved, "Gus Grant", "u-eve", "Eve Ellis")));
    }

    [Test]
    public void Decide_WhenDelegatedByTheRequester_TheDelegateMayNotApproveForThem()
    {
        // The requester sits on the CAB; their delegate must not approve the group's approval for them.
        var cab = new PlannedSet("group:Change Advisory Board", "Change Advisory Board", ApprovalRule.Any,
            [new PlannedApprover(ApproverKind.Group, Cab.Id.ToString("D"), Cab.Name, "named in the approval policy")]);
        var rows = ChangeApprovals.Start(new ApprovalPlan([new PlannedStage(1, "CAB approval", [cab])], []), ChangeId, 1, T0).ToList();
        var delegation = ApprovalDelegation.Create(Requester.UserId, Requester.DisplayName, Gus.UserId, Gus.DisplayName, T0, T0.AddDays(7), T0);
        Assert.Throws<ForbiddenException>(() => Approve(rows, "Change Advisory Board", Gus, ctx: Context(delegation)));
    }

    // --- delegation ---

    [Test]
    public void IsActive_FromTheStartUpToTheEnd()
    {
        var d = ApprovalDelegation.Create("u-ann", "Ann Archer", "u-gus", "Gus Grant", T0, T0.AddDays(3), T0);
        Assert.Multiple(() =>
        {
            Assert.That(d.IsActive(T0.AddTicks(-1)), Is.False);
            Assert.That(d.IsActive(T0), Is.True);
            Assert.That(d.IsActive(T0.AddDays(3).AddTicks(-1)), Is.True);
            Assert.That(d.IsActive(T0.AddDays(3)), Is.False);
        });
        d.Revoke(T0.AddDays(1));
        Assert.That(d.IsActive(T0.AddDays(1)), Is.False);
    }

    [Test]
    public void Create_WhenEndIsNotAfterStart_Refuses()
    {
        var ex = Assert.Throws<FieldValidationException>(() => ApprovalDelegation.Create("u-ann", "Ann", "u-gus", "Gus", T0, T0, T0));
        Assert.That(ex!.Errors["ends"].Single(), Is.EqualTo("The delegation must end after it starts."));
    }

    [Test]
    public void Create_WhenToOneself_Refuses()
    {
        var ex = Assert.Throws<FieldValidationException>(() => ApprovalDelegation.Create("u-ann", "Ann", "u-ann", "Ann", T0, T0.AddDays(1), T0));
        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "toUserId" }));
    }

    [Test]
    public void Create_WhenLongerThanNinetyDays_Refuses()
    {
        Assert.That(ApprovalDelegation.Create("u-ann", "Ann", "u-gus", "Gus", T0, T0.AddDays(90), T0).Ends, Is.EqualTo(T0.AddDays(90)));
        var ex = Assert.Throws<FieldValidationException>(() => ApprovalDelegation.Create("u-ann", "Ann", "u-gus", "Gus", T0, T0.AddDays(90).AddMinutes(1), T0));
        Assert.That(ex!.Errors["ends"].Single(), Does.Contain("at most 90 days"));
    }

    // --- rework ---

    [Test]
    public void CancelAll_WhenSentBackToNew_CancelsPendingApprovalsAndTheNextRoundStartsAgain()
    {
        var rows = StartPayroll();
        Approve(rows, "Database Administration", Eve);
        var canceled = ChangeApprovals.CancelAll(rows, "sent back to New for rework", T0.AddHours(2));

        Assert.That(canceled.Select(r => r.ApproverName), Is.EqualTo(new[] { "Payroll App Team", "Payroll Service Owners", "Ann Archer", "Bob Baker", "Cat Cole" }));
        Assert.That(canceled, Has.All.Property(nameof(ChangeApproval.State)).EqualTo(ApprovalState.Canceled)
            .And.All.Property(nameof(ChangeApproval.CanceledReason)).EqualTo("sent back to New for rework"));
        Assert.That(Row(rows, "Database Administration").State, Is.EqualTo(ApprovalState.Approved), "the audit of the first round stays");

        var round = ChangeApprovals.NextRound(rows);
        Assert.That(round, Is.EqualTo(2));
        rows.AddRange(ChangeApprovals.Start(Policy.Plan(PayrollFacts(DbPayroll01), Dir), ChangeId, round, T0.AddDays(1)));
        var outcome = ChangeApprovals.Evaluate(rows);
        Assert.That((outcome.Round, outcome.State, outcome.CurrentStage), Is.EqualTo((2, ApprovalOutcomeState.Pending, (int?)1)));
        var dbaAgain = rows.Single(r => r.Round == 2 && r.ApproverName == "Database Administration");
        Assert.That(dbaAgain.State, Is.EqualTo(ApprovalState.Requested), "the policy starts again: the DBA is asked again");
        Assert.That(outcome.Sets.Single(s => s.Key == "ci-owners").Approved, Is.EqualTo(0), "round 1's approval does not count");
    }

    // --- recomputation after a graph change ---

    [Test]
    public void Reconcile_WhenTheAffectedCisChange_AsksTheNewOwnerKeepsGivenApprovalsAndCancelsTheRemovedOwner()
    {
        var rows = StartPayroll(DbPayroll01, AppPayroll);
        Approve(rows, "Database Administration", Eve);
        const string reason = "affected CIs changed: sw-core-01 added, app-payroll removed";
        var newPlan = Policy.Plan(PayrollFacts(DbPayroll01, Switch), Dir);
        var result = ChangeApprovals.Reconcile(rows, newPlan, 1, T0.AddHours(2), reason);

        var added = result.Added.Single();
        Assert.That((added.ApproverName, added.Stage, added.SetKey, added.State), Is.EqualTo(("Network Team", 1, "ci-owners", ApprovalState.Requested)));
        Assert.That(added.Why, Is.EqualTo($"owns sw-core-01 ({reason})"));
        Assert.That(added.Round, Is.EqualTo(1));
        var removed = result.Canceled.Single();
        Assert.That((removed.ApproverName, removed.State, removed.CanceledReason), Is.EqualTo(("Payroll App Team", ApprovalState.Canceled, reason)));
        Assert.That(Row(rows, "Database Administration").State, Is.EqualTo(ApprovalState.Approved));
        Assert.That(result.Summary, Is.EqualTo(new[]
        {
            $"no longer asks Payroll App Team (Owners of the affected CIs, stage 1): {reason}",
            $"asked Network Team: owns sw-core-01 ({reason})",
        }));

        rows.AddRange(result.Added);
        Approve(rows, "Payroll Service Owners", Hal);
        var done = Approve(rows, "Network Team", Bob);
        Assert.That(done.Outcome.CurrentStage, Is.EqualTo(2), "the DBA's earlier approval still counts for stage 1");
    }

    [Test]
    public void Reconcile_WhenANewApproverBelongsToALaterStage_LetsThemWait()
    {
        var rows = StartPayroll(DbPayroll01);
        var plan = Policy.Plan(PayrollFacts(DbPayroll01), Dir);
        var cab = plan.Stages[1].Sets[0];
        var widened = plan with
        {
            Stages = [plan.Stages[0], plan.Stages[1] with
            {
                Sets = [cab with { Approvers = [.. cab.Approvers, new PlannedApprover(ApproverKind.Person, Dan.UserId, Dan.DisplayName, "member of Change Advisory Board")] }],
            }],
        };
        var result = ChangeApprovals.Reconcile(rows, widened, 1, T0.AddHours(1), "Dan Duty joined the Change Advisory Board");
        Assert.That(result.Added.Single().State, Is.EqualTo(ApprovalState.Waiting));
        Assert.That(result.Summary.Single(), Is.EqualTo("will ask Dan Duty in stage 2 (CAB approval): member of Change Advisory Board (Dan Duty joined the Change Advisory Board)"));
        Assert.That(result.Canceled, Is.Empty);
    }

    [Test]
    public void Reconcile_WhenTheOnlyPendingOwnerIsRemoved_MovesOnToTheNextStage()
    {
        var rows = StartPayroll(DbPayroll01, AppPayroll);
        Approve(rows, "Database Administration", Eve);
        Approve(rows, "Payroll Service Owners", Hal);
        var result = ChangeApprovals.Reconcile(rows, Policy.Plan(PayrollFacts(DbPayroll01), Dir), 1, T0.AddHours(2), "app-payroll removed from the change");
        Assert.That(result.Canceled.Single().ApproverName, Is.EqualTo("Payroll App Team"));
        Assert.That(result.Outcome.CurrentStage, Is.EqualTo(2));
        Assert.That(result.Requested.Select(r => r.ApproverName), Is.EqualTo(new[] { "Ann Archer", "Bob Baker", "Cat Cole" }));
        Assert.That(result.Summary, Has.Some.EqualTo("asked Ann Archer: stage 2 (CAB approval) is now current"));
    }

    [Test]
    public void Reconcile_WhenTheNewOwnerJoinsAnAlreadyMetAnyOneSet_DoesNotAskThem()
    {
        var set = new PlannedSet("ci-owners", "Owners of the affected CIs", ApprovalRule.Any,
            [new PlannedApprover(ApproverKind.Group, Dba.Id.ToString("D"), Dba.Name, "owns db-payroll-01")]);
        var cab = new PlannedSet("cab", "Change Advisory Board", ApprovalRule.Any,
            [new PlannedApprover(ApproverKind.Person, Ann.UserId, Ann.DisplayName, "member of Change Advisory Board")]);
        var plan = new ApprovalPlan([new PlannedStage(1, "Owner approval", [set]), new PlannedStage(2, "CAB approval", [cab])], []);
        var rows = ChangeApprovals.Start(plan, ChangeId, 1, T0).ToList();
        Approve(rows, "Database Administration", Eve);

        var grown = plan with
        {
            Stages = [plan.Stages[0] with { Sets = [set with { Approvers = [.. set.Approvers, new PlannedApprover(ApproverKind.Group, Network.Id.ToString("D"), Network.Name, "owns sw-core-01")] }] }, plan.Stages[1]],
        };
        var result = ChangeApprovals.Reconcile(rows, grown, 1, T0.AddHours(2), "sw-core-01 added");
        Assert.That(result.Added, Is.Empty);
        Assert.That(result.Summary.Single(), Does.StartWith("did not ask Network Team: stage 1 (Owner approval) is already approved"));
        Assert.That(result.Outcome.CurrentStage, Is.EqualTo(2));
    }

    [Test]
    public void Reconcile_WhenThePlanIsUnchanged_ChangesNothingAndDoesNotAskAgainWhoWasNotNeeded()
    {
        var owners = new PlannedSet("ci-owners", "Owners of the affected CIs", ApprovalRule.Any,
        [
            new PlannedApprover(ApproverKind.Group, Dba.Id.ToString("D"), Dba.Name, "owns db-payroll-01"),
            new PlannedApprover(ApproverKind.Group, AppTeam.Id.ToString("D"), AppTeam.Name, "owns app-payroll"),
        ]);
        var cab = new PlannedSet("cab", "Change Advisory Board", ApprovalRule.Any,
            [new PlannedApprover(ApproverKind.Person, Ann.UserId, Ann.DisplayName, "member of Change Advisory Board")]);
        var plan = new ApprovalPlan([new PlannedStage(1, "Owner approval", [owners]), new PlannedStage(2, "CAB approval", [cab])], []);
        var rows = ChangeApprovals.Start(plan, ChangeId, 1, T0).ToList();
        Assert.That(Approve(rows, "Database Administration", Eve).Canceled.Single().ApproverName, Is.EqualTo("Payroll App Team"));

        var result = ChangeApprovals.Reconcile(rows, plan, 1, T0.AddHours(2), "a relationship of db-payroll-01 changed");
        Assert.That((result.Added.Count, result.Canceled.Count, result.Requested.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(result.Summary, Is.Empty);
        Assert.That(result.Outcome.CurrentStage, Is.EqualTo(2));
    }

    [Test]
    public void Reconcile_WhenTheOwnerOfAnUnownedCiAppears_ReplacesTheFallbackGroup()
    {
        var rows = StartPayroll(Unowned);
        Assert.That(rows.Single(r => r.SetKey == "ci-owners").ApproverName, Is.EqualTo("Change Management"));
        var owned = Unowned with { OwnerGroupId = Network.Id };
        var result = ChangeApprovals.Reconcile(rows, Policy.Plan(PayrollFacts(owned), Dir), 1, T0.AddHours(1), "srv-lab-07 now owned by Network Team");
        Assert.That(result.Canceled.Single().ApproverName, Is.EqualTo("Change Management"));
        Assert.That(result.Added.Single().ApproverName, Is.EqualTo("Network Team"));
    }

    [Test]
    public void Reconcile_WhenTheRoundIsRejected_ChangesNothing()
    {
        var rows = StartPayroll();
        ChangeApprovals.Decide(rows, Row(rows, "Payroll App Team").Id, false, "not now", ActorFor(Fay), Context(), T0.AddHours(1));
        var result = ChangeApprovals.Reconcile(rows, Policy.Plan(PayrollFacts(DbPayroll01, Switch), Dir), 1, T0.AddHours(2), "sw-core-01 added");
        Assert.That((result.Added.Count, result.Canceled.Count, result.Summary.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(result.Outcome.State, Is.EqualTo(ApprovalOutcomeState.Rejected));
    }

    [Test]
    public void Evaluate_ReportsEachSetsProgress()
    {
        var rows = StartPayroll();
        Approve(rows, "Database Administration", Eve);
        var sets = ChangeApprovals.Evaluate(rows).Sets;
        Assert.That(sets.Select(s => (s.Stage, s.Key, s.Approved, s.Total, s.IsMet)), Is.EqualTo(new[]
        {
            (1, "ci-owners", 1, 2, false),
            (1, "service-owners", 0, 1, false),
            (2, "cab", 0, 3, false),
        }));
    }
}
