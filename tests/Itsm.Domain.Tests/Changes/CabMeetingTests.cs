using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;

namespace Itsm.Domain.Tests.Changes;

/// <summary>The CAB meeting: who plans and runs it, when decisions may be recorded, re-decisions, minutes and closing.</summary>
public class CabMeetingTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor ChangeManager = Person("u-chen", "Chen", Roles.ChangeManager);
    private static readonly Actor CabMember = Person("u-carla", "Carla", Roles.CabMember);
    private static readonly Actor Engineer = Person("u-erik", "Erik", Roles.Engineer);
    private static readonly Actor Agent = Person("u-adam", "Adam", Roles.Agent);
    private static readonly Actor Admin = Person("u-alice", "Alice", Roles.Admin);

    private static readonly CabAgendaEntry First = new(Guid.Parse("33333333-0000-0000-0000-000000000001"), "CHG0000101");
    private static readonly CabAgendaEntry Second = new(Guid.Parse("33333333-0000-0000-0000-000000000002"), "CHG0000102");
    private static readonly CabAgendaEntry Third = new(Guid.Parse("33333333-0000-0000-0000-000000000003"), "CHG0000103");

    [Test]
    public void Plan_WhenChangeManagerPlans_KeepsTheAgendaInOrderWithoutDuplicates()
    {
        var meeting = Plan([Second, First, Second, Third]);

        Assert.That(meeting.Items.Select(i => (i.ChangeNumber, i.Order)),
            Is.EqualTo(new[] { ("CHG0000102", 1), ("CHG0000101", 2), ("CHG0000103", 3) }));
        Assert.That(meeting.Items.Select(i => i.Decision), Is.All.EqualTo(CabDecision.None));
        Assert.That((meeting.State, meeting.Version, meeting.CreatedByName), Is.EqualTo((CabMeetingState.Planned, 1, "Chen")));
        Assert.That(meeting.Log.Single().Text, Is.EqualTo("planned the meeting with 3 changes: CHG0000102, CHG0000101, CHG0000103"));
    }

    [Test]
    public void Plan_WhenTimesHaveAnOffsetAndFractions_StoresThemInUtcToTheSecond()
    {
        var local = new DateTimeOffset(2025, 3, 10, 15, 0, 0, 500, TimeSpan.FromHours(2));
        var meeting = CabMeeting.Plan("Weekly CAB", local, local.AddHours(1), T0, T0.AddDays(7), [], ChangeManager, T0);

        Assert.That(meeting.StartsAt, Is.EqualTo(new DateTimeOffset(2025, 3, 10, 13, 0, 0, TimeSpan.Zero)));
        Assert.That(meeting.StartsAt.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(meeting.Log.Single().Text, Is.EqualTo("planned the meeting with an empty agenda"));
    }

    [TestCase(Roles.CabMember)]
    [TestCase(Roles.Engineer)]
    [TestCase(Roles.Agent)]
    public void Plan_WhenNotAChangeManager_IsForbidden(string role)
    {
        Assert.Throws<ForbiddenException>(() =>
            CabMeeting.Plan("Weekly CAB", T0.AddDays(1), T0.AddDays(1).AddHours(1), T0, T0.AddDays(7), [First], Person("u-x", "X", role), T0));
    }

    [Test]
    public void Plan_WhenAdminPlans_IsAllowed()
    {
        var meeting = CabMeeting.Plan("Weekly CAB", T0.AddDays(1), T0.AddDays(1).AddHours(1), T0, T0.AddDays(7), [First], Admin, T0);
        Assert.That(meeting.Items, Has.Count.EqualTo(1));
    }

    [Test]
    public void Plan_WhenFieldsAreWrong_ReportsEveryFieldAtOnce()
    {
        var e = Assert.Throws<FieldValidationException>(() =>
            CabMeeting.Plan("  ", T0.AddHours(2), T0.AddHours(1), T0.AddDays(7), T0, [], ChangeManager, T0))!;

        Assert.That(e.Errors.Keys, Is.EquivalentTo(new[] { "title", "endsAt", "periodTo" }));
    }

    [Test]
    public void Plan_WhenMeetingOrPeriodIsTooLong_RefusesThem()
    {
        var e = Assert.Throws<FieldValidationException>(() =>
            CabMeeting.Plan("Marathon", T0, T0.AddHours(13), T0, T0.AddDays(93), [], ChangeManager, T0))!;

        Assert.That(e.Errors["endsAt"].Single(), Does.Contain("12 hours"));
        Assert.That(e.Errors["periodTo"].Single(), Does.Contain("92 days"));
    }

    [Test]
    public void Plan_WhenTitleIsTooLong_RefusesIt()
    {
        var e = Assert.Throws<FieldValidationException>(() =>
            CabMeeting.Plan(new string('x', CabMeeting.TitleMax + 1), T0, T0.AddHours(1), T0, T0.AddDays(1), [], ChangeManager, T0))!;
        Assert.That(e.Errors.Keys, Is.EqualTo(new[] { "title" }));
    }

    [Test]
    public void Reorder_WhenEveryChangeIsGivenOnce_PutsTheAgendaInThatOrderAndAuditsIt()
    {
        var meeting = Plan([First, Second, Third]);

        meeting.Reorder(["chg0000103", "CHG0000101", "CHG0000102"], ChangeManager, T0.AddMinutes(1));

        Assert.That(meeting.Items.Select(i => i.ChangeNumber), Is.EqualTo(new[] { "CHG0000103", "CHG0000101", "CHG0000102" }));
        Assert.That(meeting.Items.Select(i => i.Order), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(meeting.Version, Is.EqualTo(2));
        Assert.That(meeting.Log.Last().Text, Is.EqualTo("reordered the agenda: CHG0000103, CHG0000101, CHG0000102"));
    }

    [Test]
    public void Reorder_WhenTheOrderIsUnchanged_WritesNothing()
    {
        var meeting = Plan([First, Second]);
        meeting.Reorder([First.ChangeNumber, Second.ChangeNumber], ChangeManager, T0);
        Assert.That((meeting.Version, meeting.Log.Count), Is.EqualTo((1, 1)));
    }

    [Test]
    public void Reorder_WhenAChangeIsMissingRepeatedOrUnknown_Refuses()
    {
        var meeting = Plan([First, Second]);

        Assert.That(Assert.Throws<FieldValidationException>(() => meeting.Reorder([First.ChangeNumber], ChangeManager, T0))!.Errors.Keys,
            Is.EqualTo(new[] { "changeNumbers" }));
        Assert.Throws<FieldValidationException>(() => meeting.Reorder([First.ChangeNumber, First.ChangeNumber], ChangeManager, T0));
        var unknown = Assert.Throws<FieldValidationException>(() => meeting.Reorder([First.ChangeNumber, "CHG0000999"], ChangeManager, T0))!;
        Assert.That(unknown.Errors["changeNumbers"].Single(), Does.Contain("CHG0000999"));
        Assert.That(meeting.Items.Select(i => i.ChangeNumber), Is.EqualTo(new[] { First.ChangeNumber, Second.ChangeNumber }));
    }

    [Test]
    public void Reorder_WhenCabMemberReorders_IsForbidden()
    {
        var meeting = Plan([First, Second]);
        Assert.Throws<ForbiddenException>(() => meeting.Reorder([Second.ChangeNumber, First.ChangeNumber], CabMember, T0));
    }

    [Test]
    public void Start_WhenPlanned_SitsTheBoard()
    {
        var meeting = Plan([First]);

        meeting.Start(ChangeManager, T0.AddHours(1));

        Assert.That((meeting.State, meeting.StartedAt, meeting.Version), Is.EqualTo((CabMeetingState.InProgress, (DateTimeOffset?)T0.AddHours(1), 2)));
        Assert.That(meeting.Log.Last().Text, Is.EqualTo("started the meeting"));
    }

    [Test]
    public void Start_WhenAlreadyInProgress_BreaksARule()
    {
        var meeting = Started([First]);
        Assert.That(Assert.Throws<BusinessRuleException>(() => meeting.Start(ChangeManager, T0))!.Rule, Is.EqualTo("cab-meeting-in-progress"));
    }

    [Test]
    public void Start_WhenCabMemberStarts_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() => Plan([First]).Start(CabMember, T0));
    }

    [Test]
    public void RecordDecision_WhenCabMemberApprovesWhileInProgress_RecordsWhoAndWhen()
    {
        var meeting = Started([First, Second]);

        var done = meeting.RecordDecision("chg0000102", CabDecision.Approved, "  Go ahead.  ", false, CabMember, T0.AddHours(2));

        var item = meeting.ItemFor(Second.ChangeNumber);
        Assert.That((item.Decision, item.DecisionNotes, item.DecidedByName, item.DecidedAt),
            Is.EqualTo((CabDecision.Approved, "Go ahead.", "Carla", (DateTimeOffset?)T0.AddHours(2))));
        Assert.That((done.Changed, done.Redecided, done.Previous), Is.EqualTo((true, false, CabDecision.None)));
        Assert.That(meeting.ItemFor(First.ChangeNumber).Decision, Is.EqualTo(CabDecision.None));
        Assert.That(meeting.Log.Last().Text, Is.EqualTo("CHG0000102: approved (Go ahead.)"));
    }

    [TestCase(Roles.ChangeManager)]
    [TestCase(Roles.Admin)]
    public void RecordDecision_WhenChangeManagerOrAdminDecides_IsAllowed(string role)
    {
        var meeting = Started([First]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Deferred, null, false, Person("u-y", "Y", role), T0);
        Assert.That(meeting.ItemFor(First.ChangeNumber).Decision, Is.EqualTo(CabDecision.Deferred));
    }

    [TestCase(Roles.Engineer)]
    [TestCase(Roles.Agent)]
    [TestCase(Roles.ProblemManager)]
    public void RecordDecision_WhenNotOnTheBoard_IsForbidden(string role)
    {
        var meeting = Started([First]);
        Assert.Throws<ForbiddenException>(() => meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, null, false, Person("u-z", "Z", role), T0));
        Assert.That(meeting.ItemFor(First.ChangeNumber).Decision, Is.EqualTo(CabDecision.None));
    }

    [Test]
    public void RecordDecision_WhenTheDeciderRequestedOrImplementsTheChange_IsForbidden()
    {
        var meeting = Started([First]);
        Assert.Throws<ForbiddenException>(() => meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, null, true, CabMember, T0));
        Assert.That(meeting.ItemFor(First.ChangeNumber).IsDecided, Is.False);
    }

    [Test]
    public void RecordDecision_WhenMeetingIsOnlyPlanned_BreaksARule()
    {
        var meeting = Plan([First]);
        var e = Assert.Throws<BusinessRuleException>(() => meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, null, false, CabMember, T0))!;
        Assert.That(e.Rule, Is.EqualTo("cab-meeting-not-started"));
    }

    [Test]
    public void RecordDecision_WhenRejectingWithoutNotes_AsksWhy()
    {
        var meeting = Started([First]);
        var e = Assert.Throws<FieldValidationException>(() => meeting.RecordDecision(First.ChangeNumber, CabDecision.Rejected, "   ", false, CabMember, T0))!;
        Assert.That(e.Errors.Keys, Is.EqualTo(new[] { "notes" }));
        Assert.That(meeting.ItemFor(First.ChangeNumber).IsDecided, Is.False);
    }

    [Test]
    public void RecordDecision_WhenNotesAreTooLongOrDecisionIsNone_IsInvalid()
    {
        var meeting = Started([First]);
        Assert.That(Assert.Throws<FieldValidationException>(() =>
            meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, new string('n', CabMeeting.NotesMax + 1), false, CabMember, T0))!.Errors.Keys,
            Is.EqualTo(new[] { "notes" }));
        Assert.That(Assert.Throws<FieldValidationException>(() =>
            meeting.RecordDecision(First.ChangeNumber, CabDecision.None, null, false, CabMember, T0))!.Errors.Keys, Is.EqualTo(new[] { "decision" }));
    }

    [Test]
    public void RecordDecision_WhenChangeIsNotOnTheAgenda_IsNotFound()
    {
        var meeting = Started([First]);
        Assert.Throws<NotFoundException>(() => meeting.RecordDecision("CHG0000999", CabDecision.Approved, null, false, CabMember, T0));
    }

    [Test]
    public void RecordDecision_WhenDecidedAgainWhileInProgress_ReplacesItAndAuditsWhatItWas()
    {
        var meeting = Started([First]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, "Fine", false, CabMember, T0.AddMinutes(1));

        var done = meeting.RecordDecision(First.ChangeNumber, CabDecision.Rejected, "Backout plan untested", false, ChangeManager, T0.AddMinutes(2));

        var item = meeting.ItemFor(First.ChangeNumber);
        Assert.That((item.Decision, item.DecisionNotes, item.DecidedByName), Is.EqualTo((CabDecision.Rejected, "Backout plan untested", "Chen")));
        Assert.That((done.Redecided, done.Previous, done.PreviousNotes), Is.EqualTo((true, CabDecision.Approved, "Fine")));
        Assert.That(meeting.Log.Last().Text,
            Is.EqualTo("CHG0000101: rejected (Backout plan untested); re-decided, it was approved by Carla (Fine)"));
        Assert.That(meeting.Log.Last().ActorName, Is.EqualTo("Chen"));
    }

    [Test]
    public void RecordDecision_WhenTheSameDecisionIsRecordedAgain_ChangesNothing()
    {
        var meeting = Started([First]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Deferred, "Next week", false, CabMember, T0);
        var version = meeting.Version;

        var done = meeting.RecordDecision(First.ChangeNumber, CabDecision.Deferred, "Next week ", false, ChangeManager, T0.AddMinutes(5));

        Assert.That(done.Changed, Is.False);
        Assert.That((meeting.Version, meeting.ItemFor(First.ChangeNumber).DecidedByName), Is.EqualTo((version, "Carla")));
    }

    [Test]
    public void RecordDecision_WhenMeetingIsClosed_BreaksTheClosedRule()
    {
        var meeting = Started([First]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, null, false, CabMember, T0);
        meeting.Close(ChangeManager, T0.AddHours(1));

        var e = Assert.Throws<BusinessRuleException>(() => meeting.RecordDecision(First.ChangeNumber, CabDecision.Rejected, "Too late", false, CabMember, T0))!;

        Assert.That(e.Rule, Is.EqualTo("cab-meeting-closed"));
        Assert.That(meeting.ItemFor(First.ChangeNumber).Decision, Is.EqualTo(CabDecision.Approved));
    }

    [Test]
    public void RecordMinutes_WhenWrittenThenEdited_KeepsTheLatestAndAuditsEachStep()
    {
        var meeting = Plan([First]);

        meeting.RecordMinutes("  Agenda agreed.  ", ChangeManager, T0);
        meeting.RecordMinutes("Agenda agreed. CHG0000101 approved.", ChangeManager, T0.AddMinutes(1));
        meeting.RecordMinutes("Agenda agreed. CHG0000101 approved.", ChangeManager, T0.AddMinutes(2));
        meeting.RecordMinutes(" ", ChangeManager, T0.AddMinutes(3));

        Assert.That(meeting.Minutes, Is.Null);
        Assert.That(meeting.Log.Skip(1).Select(e => e.Text), Is.EqualTo(new[] { "recorded the minutes", "updated the minutes", "cleared the minutes" }));
        Assert.That(meeting.Version, Is.EqualTo(4));
    }

    [Test]
    public void RecordMinutes_WhenTooLong_IsInvalid()
    {
        var meeting = Plan([First]);
        var e = Assert.Throws<FieldValidationException>(() => meeting.RecordMinutes(new string('m', CabMeeting.MinutesMax + 1), ChangeManager, T0))!;
        Assert.That(e.Errors.Keys, Is.EqualTo(new[] { "minutes" }));
    }

    [Test]
    public void RecordMinutes_WhenCabMemberWrites_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() => Started([First]).RecordMinutes("Notes", CabMember, T0));
    }

    [Test]
    public void Close_WhenInProgress_ClosesAndCountsTheDecisions()
    {
        var meeting = Started([First, Second, Third]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Approved, null, false, CabMember, T0);
        meeting.RecordDecision(Second.ChangeNumber, CabDecision.Deferred, null, false, CabMember, T0);

        meeting.Close(ChangeManager, T0.AddHours(1));

        Assert.That((meeting.State, meeting.ClosedAt), Is.EqualTo((CabMeetingState.Closed, (DateTimeOffset?)T0.AddHours(1))));
        Assert.That(meeting.Log.Last().Text, Is.EqualTo("closed the meeting: 1 approved, 0 rejected, 1 deferred, 1 not decided"));
    }

    [Test]
    public void Close_WhenOnlyPlanned_BreaksARule()
    {
        var e = Assert.Throws<BusinessRuleException>(() => Plan([First]).Close(ChangeManager, T0))!;
        Assert.That(e.Rule, Is.EqualTo("cab-meeting-not-started"));
    }

    [Test]
    public void Close_WhenCabMemberCloses_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() => Started([First]).Close(CabMember, T0));
    }

    [Test]
    public void ClosedMeeting_WhenAnythingIsChanged_RefusesEveryWriteAndKeepsItsVersion()
    {
        var meeting = Started([First, Second]);
        meeting.Close(ChangeManager, T0);
        var version = meeting.Version;

        Assert.Multiple(() =>
        {
            Assert.That(Assert.Throws<BusinessRuleException>(() => meeting.RecordMinutes("Late", ChangeManager, T0))!.Rule, Is.EqualTo("cab-meeting-closed"));
            Assert.That(Assert.Throws<BusinessRuleException>(() => meeting.Reorder([Second.ChangeNumber, First.ChangeNumber], ChangeManager, T0))!.Rule,
                Is.EqualTo("cab-meeting-closed"));
            Assert.That(Assert.Throws<BusinessRuleException>(() => meeting.Start(ChangeManager, T0))!.Rule, Is.EqualTo("cab-meeting-closed"));
            Assert.That(Assert.Throws<BusinessRuleException>(() => meeting.Close(ChangeManager, T0))!.Rule, Is.EqualTo("cab-meeting-closed"));
        });
        Assert.That(meeting.Version, Is.EqualTo(version));
    }

    [Test]
    public void EnsureVersion_WhenTheCallerHasAnOlderVersion_IsAConcurrencyConflict()
    {
        var meeting = Started([First]);
        Assert.Throws<ConcurrencyConflictException>(() => meeting.EnsureVersion(1));
        Assert.DoesNotThrow(() => meeting.EnsureVersion(meeting.Version));
        Assert.DoesNotThrow(() => meeting.EnsureVersion(null));
    }

    [TestCase("approve", CabDecision.Approved)]
    [TestCase(" Rejected ", CabDecision.Rejected)]
    [TestCase("DEFER", CabDecision.Deferred)]
    [TestCase("maybe", null)]
    [TestCase(null, null)]
    public void Parse_WhenGivenAVerbOrState_ReadsTheDecision(string? text, CabDecision? expected)
    {
        Assert.That(CabDecisionText.Parse(text), Is.EqualTo(expected));
    }

    [Test]
    public void AddItem_WhenAChangeAwaitsTheCab_PutsItLastAndAuditsIt()
    {
        var meeting = Plan([First, Second]);

        var item = meeting.AddItem(Third with { ChangeNumber = "chg0000103" }, awaitsCab: true, ChangeManager, T0.AddMinutes(5));

        Assert.That((item.ChangeNumber, item.Order, item.Decision), Is.EqualTo(("CHG0000103", 3, CabDecision.None)));
        Assert.That(meeting.Items.Select(i => i.ChangeNumber), Is.EqualTo(new[] { "CHG0000101", "CHG0000102", "CHG0000103" }));
        Assert.That((meeting.Version, meeting.Log[^1].Text), Is.EqualTo((2, "added CHG0000103 to the agenda")));
    }

    [Test]
    public void AddItem_WhenTheMeetingSits_IsStillAllowed()
    {
        var meeting = Started([First]);
        meeting.AddItem(Second, awaitsCab: true, Admin, T0);
        Assert.That(meeting.Items, Has.Count.EqualTo(2));
    }

    [Test]
    public void AddItem_WhenTheChangeDoesNotAwaitTheCab_IsRefusedAndChangesNothing()
    {
        var meeting = Plan([First]);
        var ex = Assert.Throws<BusinessRuleException>(() => meeting.AddItem(Second, awaitsCab: false, ChangeManager, T0));
        Assert.That(ex!.Rule, Is.EqualTo("cab-change-not-awaiting"));
        Assert.That((meeting.Items.Count, meeting.Version), Is.EqualTo((1, 1)));
    }

    [Test]
    public void AddItem_WhenTheChangeIsOnTheAgendaAlready_IsRefused()
    {
        var meeting = Plan([First, Second]);
        var ex = Assert.Throws<BusinessRuleException>(() => meeting.AddItem(Second, awaitsCab: true, ChangeManager, T0));
        Assert.That(ex!.Rule, Is.EqualTo("cab-item-on-agenda"));
        Assert.That(meeting.Items, Has.Count.EqualTo(2));
    }

    [Test]
    public void AddItem_WhenTheAgendaIsFull_IsRefused()
    {
        var full = Enumerable.Range(1, CabMeeting.MaxItems).Select(i => new CabAgendaEntry(Guid.NewGuid(), $"CHG{i:0000000}")).ToList();
        var meeting = Plan(full);
        var ex = Assert.Throws<BusinessRuleException>(() => meeting.AddItem(new CabAgendaEntry(Guid.NewGuid(), "CHG0009999"), true, ChangeManager, T0));
        Assert.That(ex!.Rule, Is.EqualTo("cab-agenda-full"));
    }

    [TestCase(Roles.CabMember)]
    [TestCase(Roles.Engineer)]
    [TestCase(Roles.Requester)]
    public void EditAgenda_WhenNotAChangeManager_IsForbidden(string role)
    {
        var meeting = Plan([First]);
        var who = Person("u-x", "X", role);
        Assert.Throws<ForbiddenException>(() => meeting.AddItem(Second, true, who, T0));
        Assert.Throws<ForbiddenException>(() => meeting.RemoveItem(First.ChangeNumber, who, T0));
        Assert.That((meeting.Items.Count, meeting.Version), Is.EqualTo((1, 1)));
    }

    [Test]
    public void EditAgenda_WhenTheMeetingIsClosed_IsRefused()
    {
        var meeting = Started([First]);
        meeting.Close(ChangeManager, T0.AddHours(1));
        var add = Assert.Throws<BusinessRuleException>(() => meeting.AddItem(Second, true, ChangeManager, T0));
        var remove = Assert.Throws<BusinessRuleException>(() => meeting.RemoveItem(First.ChangeNumber, ChangeManager, T0));
        Assert.That((add!.Rule, remove!.Rule), Is.EqualTo(("cab-meeting-closed", "cab-meeting-closed")));
    }

    [Test]
    public void RemoveItem_WhenUndecided_TakesItOffAndMovesTheRestUp()
    {
        var meeting = Plan([First, Second, Third]);

        meeting.RemoveItem(" chg0000101 ", ChangeManager, T0.AddMinutes(1));

        Assert.That(meeting.Items.Select(i => (i.ChangeNumber, i.Order)), Is.EqualTo(new[] { ("CHG0000102", 1), ("CHG0000103", 2) }));
        Assert.That((meeting.Version, meeting.Log[^1].Text), Is.EqualTo((2, "took CHG0000101 off the agenda")));
    }

    [Test]
    public void RemoveItem_WhenTheBoardHasDecided_IsRefused()
    {
        var meeting = Started([First, Second]);
        meeting.RecordDecision(First.ChangeNumber, CabDecision.Deferred, null, false, CabMember, T0);
        var ex = Assert.Throws<BusinessRuleException>(() => meeting.RemoveItem(First.ChangeNumber, ChangeManager, T0));
        Assert.That(ex!.Rule, Is.EqualTo("cab-item-decided"));
        Assert.That(meeting.Items, Has.Count.EqualTo(2));
    }

    [Test]
    public void RemoveItem_WhenNotOnTheAgenda_IsNotFound()
    {
        var meeting = Plan([First]);
        Assert.Throws<NotFoundException>(() => meeting.RemoveItem(Second.ChangeNumber, ChangeManager, T0));
    }

    private static CabMeeting Plan(IReadOnlyList<CabAgendaEntry> agenda) =>
        CabMeeting.Plan("Weekly CAB", T0.AddDays(1), T0.AddDays(1).AddHours(1), T0, T0.AddDays(7), agenda, ChangeManager, T0);

    private static CabMeeting Started(IReadOnlyList<CabAgendaEntry> agenda)
    {
        var meeting = Plan(agenda);
        meeting.Start(ChangeManager, T0);
        return meeting;
    }

    private static Actor Person(string id, string name, string role) =>
        new(id, name, new HashSet<string> { role }, new HashSet<Guid>());
}
