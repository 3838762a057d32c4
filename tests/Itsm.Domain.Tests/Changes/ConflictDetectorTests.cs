using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Common;
using static Itsm.Domain.Tests.Changes.SchedulingFixture;

namespace Itsm.Domain.Tests.Changes;

/// <summary>Each kind of schedule conflict is found, named and listed once, in a stable order.</summary>
public class ConflictDetectorTests
{
    private static readonly DateTimeOffset Start = Utc("2026-12-05 22:00");
    private static readonly DateTimeOffset End = Utc("2026-12-05 23:00");

    private static IReadOnlyList<ChangeConflict> Detect(PlannedChange plan, IReadOnlyList<ScheduledChange> others, int hops = 1, ChangeWindows? windows = null) =>
        ConflictDetector.Detect(plan, others, Neighbours, hops, windows ?? ChangeWindows.None, NameOf);

    [Test]
    public void Detect_WhenOtherChangeOnSameCiOverlaps_NamesTheChangeTheCiAndItsTimes()
    {
        var plan = Plan(Utc("2026-12-05 22:30"), Utc("2026-12-05 23:30"), [CoreSwitch]);
        var other = Other("CHG0000012", "Patch core switches", Start, End, [CoreSwitch.Id]);

        var conflict = Detect(plan, [other]).Single();

        Assert.That(conflict, Is.EqualTo(new ChangeConflict(ConflictKind.SameCi,
            "CHG0000012 'Patch core switches' works on dc1-core-01 from 2026-12-05 22:00 to 23:00 UTC, overlapping this change.",
            CoreSwitch.Id, "dc1-core-01", "CHG0000012", null)));
    }

    [TestCase("2026-12-05 21:00", "2026-12-05 22:00", false, TestName = "Detect_WhenOtherEndsAsPlanStarts_NoConflict")]
    [TestCase("2026-12-05 23:00", "2026-12-06 00:00", false, TestName = "Detect_WhenOtherStartsAsPlanEnds_NoConflict")]
    [TestCase("2026-12-05 21:00", "2026-12-05 22:01", true, TestName = "Detect_WhenOtherOverlapsByAMinute_Conflict")]
    [TestCase("2026-12-05 22:59", "2026-12-06 01:00", true, TestName = "Detect_WhenOtherStartsAMinuteBeforePlanEnds_Conflict")]
    public void Detect_OverlapIsHalfOpen(string otherStart, string otherEnd, bool conflicts)
    {
        var plan = Plan(Start, End, [CoreSwitch]);
        var other = Other("CHG0000012", "Patch core switches", Utc(otherStart), Utc(otherEnd), [CoreSwitch.Id]);

        Assert.That(Detect(plan, [other]), conflicts ? Has.Count.EqualTo(1) : Is.Empty);
    }

    [Test]
    public void Detect_WhenOthersIncludeThePlanItself_IgnoresIt()
    {
        var id = Guid.NewGuid();
        var plan = Plan(Start, End, [CoreSwitch], implementer: "erik", id: id);
        var itself = Other("CHG0000020", "This change", Start, End, [CoreSwitch.Id], "erik", "Erik Engineer", id: id);

        Assert.That(Detect(plan, [itself]), Is.Empty);
    }

    [Test]
    public void Detect_WhenOtherChangeOnNeighbour_NamesBothCisAndTheChange()
    {
        var plan = Plan(Start, End, [PayrollDb]);
        var other = Other("CHG0000013", "Replace SAN controller", Utc("2026-12-05 21:00"), Utc("2026-12-06 01:00"), [San.Id]);

        var conflict = Detect(plan, [other]).Single();

        Assert.That(conflict, Is.EqualTo(new ChangeConflict(ConflictKind.RelatedCi,
            "db-payroll-01 is related to dc1-san-01, on which CHG0000013 'Replace SAN controller' works from 2026-12-05 21:00 to 2026-12-06 01:00 UTC, overlapping this change.",
            PayrollDb.Id, "db-payroll-01", "CHG0000013", null, San.Id)));
    }

    [Test]
    public void Detect_WhenOtherChangeTwoHopsAway_ConflictsOnlyWithTwoHops()
    {
        var plan = Plan(Start, End, [PayrollApp]);
        var other = Other("CHG0000013", "Replace SAN controller", Start, End, [San.Id]);

        var oneHop = Detect(plan, [other], hops: 1);
        var twoHops = Detect(plan, [other], hops: 2);
        var none = Detect(Plan(Start, End, [PayrollDb]), [other], hops: 0);

        Assert.Multiple(() =>
        {
            Assert.That(oneHop, Is.Empty);
            Assert.That(twoHops.Single().Text, Does.StartWith("app-payroll is related (2 hops) to dc1-san-01, on which CHG0000013"));
            Assert.That(none, Is.Empty, "hops 0 looks at the plan's own CIs only");
        });
    }

    [Test]
    public void Detect_WhenOtherChangeOnSeveralRelatedCis_OneConflictNamingTheNearest()
    {
        var plan = Plan(Start, End, [PayrollDb]);
        var other = Other("CHG0000013", "Rebuild storage", Start, End, [SanShelf.Id, San.Id, San.Id]);

        var conflicts = Detect(plan, [other], hops: 2);

        Assert.That(conflicts.Single().RelatedCiId, Is.EqualTo(San.Id));
    }

    [Test]
    public void Detect_WhenRelatedCiIsAlsoThePlansOwn_ReportsSameCiOnly()
    {
        var plan = Plan(Start, End, [PayrollDb, San]);
        var other = Other("CHG0000013", "Replace SAN controller", Start, End, [San.Id]);

        var conflicts = Detect(plan, [other]);

        Assert.That(conflicts.Select(c => (c.Kind, c.CiName)), Is.EqualTo(new[] { (ConflictKind.SameCi, "dc1-san-01") }));
    }

    [Test]
    public void Detect_WhenPlanOutsideCiMaintenanceWindow_NamesTheCiAndTheWindow()
    {
        var plan = Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 11:00"), [PayrollDb]); // a Wednesday morning

        var conflict = Detect(plan, [], windows: ResolvedWindows([WeekendNights()])).Single();

        Assert.That(conflict, Is.EqualTo(new ChangeConflict(ConflictKind.OutsideMaintenanceWindow,
            "Planned outside db-payroll-01's maintenance window 'Weekend nights' (Sat, Sun 22:00–04:00 Europe/Berlin).",
            PayrollDb.Id, "db-payroll-01", null, "weekend-nights")));
    }

    [Test]
    public void Detect_WhenPlanInsideMaintenanceWindowOrCiHasNone_NoConflict()
    {
        var windows = ResolvedWindows([WeekendNights()]);

        var inside = Detect(Plan(Start, End, [PayrollDb]), [], windows: windows);
        var noWindow = Detect(Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 11:00"), [San]), [], windows: windows);

        Assert.That(inside, Is.Empty);
        Assert.That(noWindow, Is.Empty);
    }

    [Test]
    public void Detect_WhenPlanInsideServiceBlackout_NamesTheBlackoutAndTheService()
    {
        var plan = Plan(Utc("2026-12-22 22:00"), Utc("2026-12-22 23:00"), [San], services: [PayrollService]);

        var conflict = Detect(plan, [], windows: ResolvedWindows(blackouts: [YearEndFreeze()])).Single();

        Assert.That(conflict, Is.EqualTo(new ChangeConflict(ConflictKind.Blackout,
            "Planned inside the blackout 'Year-end freeze' (Dec 20 – Jan 3), which freezes the service Payroll.",
            null, null, null, "year-end-freeze")));
    }

    [Test]
    public void Detect_WhenBlackoutIsForOtherServices_NoConflict()
    {
        var plan = Plan(Utc("2026-12-22 22:00"), Utc("2026-12-22 23:00"), [San], services: [ShopService]);

        Assert.That(Detect(plan, [], windows: ResolvedWindows(blackouts: [YearEndFreeze()])), Is.Empty);
    }

    [Test]
    public void Detect_WhenGlobalOrCiBlackout_NamesTheWindowAndForCisTheCi()
    {
        var global = new BlackoutWindow("power", "Power maintenance", Utc("2026-12-05 00:00"), Utc("2026-12-07 00:00"), BlackoutScope.Global, []);
        var san = new BlackoutWindow("san-migration", "SAN migration", Utc("2026-12-05 00:00"), Utc("2026-12-06 00:00"), BlackoutScope.Cis, ["dc1-san-01"]);
        var plan = Plan(Start, End, [PayrollDb, San]);

        var conflicts = Detect(plan, [], windows: ResolvedWindows(blackouts: [global, san]));

        Assert.That(conflicts.Select(c => (c.Kind, c.CiName, c.WindowId, c.Text)), Is.EqualTo(new (ConflictKind, string?, string?, string)[]
        {
            (ConflictKind.Blackout, null, "power", "Planned inside the blackout 'Power maintenance' (Dec 5 – Dec 6), which freezes every change."),
            (ConflictKind.Blackout, "dc1-san-01", "san-migration", "Planned inside the blackout 'SAN migration' (Dec 5), which freezes dc1-san-01."),
        }));
    }

    [Test]
    public void Detect_WhenImplementerOnAnotherChangeAtTheSameTime_NamesThemAndTheChange()
    {
        var plan = Plan(Start, End, [San], implementer: "erik");
        var other = Other("CHG0000014", "Upgrade payroll app", Utc("2026-12-05 22:30"), Utc("2026-12-06 00:00"), [PayrollApp.Id], "erik", "Erik Engineer");

        var conflict = Detect(plan, [other], hops: 0).Single();

        Assert.That(conflict, Is.EqualTo(new ChangeConflict(ConflictKind.ImplementerBusy,
            "The implementer Erik Engineer is on CHG0000014 'Upgrade payroll app' at the same time (from 2026-12-05 22:30 to 2026-12-06 00:00 UTC).",
            null, null, "CHG0000014", null)));
    }

    [Test]
    public void Detect_WhenImplementerDiffersOrIsUnset_NoConflict()
    {
        var other = Other("CHG0000014", "Upgrade payroll app", Start, End, [PayrollApp.Id], "erik", "Erik Engineer");

        Assert.That(Detect(Plan(Start, End, [San], implementer: "anna"), [other], hops: 0), Is.Empty);
        Assert.That(Detect(Plan(Start, End, [San]), [Other("CHG0000015", "x", Start, End, [PayrollApp.Id])], hops: 0), Is.Empty);
    }

    [Test]
    public void Detect_WhenEveryKindOccurs_ListsEachOnceByKindThenCi()
    {
        var plan = Plan(Utc("2026-12-23 10:00"), Utc("2026-12-23 11:00"), [PayrollDb, CoreSwitch], services: [PayrollService], implementer: "erik");
        var others = new[]
        {
            Other("CHG0000031", "Switch firmware", Utc("2026-12-23 09:00"), Utc("2026-12-23 12:00"), [CoreSwitch.Id, CoreSwitch.Id]),
            Other("CHG0000030", "DB patch", Utc("2026-12-23 10:30"), Utc("2026-12-23 10:45"), [PayrollDb.Id, CoreSwitch.Id]),
            Other("CHG0000032", "SAN firmware", Utc("2026-12-23 10:00"), Utc("2026-12-23 11:00"), [San.Id], "erik", "Erik Engineer"),
        };

        var conflicts = Detect(plan, others, windows: ResolvedWindows([WeekendNights(), WeekdayMornings()], [YearEndFreeze()]));

        Assert.That(conflicts.Select(c => (c.Kind, c.CiName, c.OtherChangeNumber ?? c.WindowId)), Is.EqualTo(new (ConflictKind, string?, string?)[]
        {
            (ConflictKind.SameCi, "db-payroll-01", "CHG0000030"),
            (ConflictKind.SameCi, "dc1-core-01", "CHG0000030"),
            (ConflictKind.SameCi, "dc1-core-01", "CHG0000031"),
            (ConflictKind.RelatedCi, "db-payroll-01", "CHG0000032"),
            (ConflictKind.OutsideMaintenanceWindow, "db-payroll-01", "weekend-nights"),
            (ConflictKind.OutsideMaintenanceWindow, "dc1-core-01", "weekday-early-mornings"),
            (ConflictKind.Blackout, null, "year-end-freeze"),
            (ConflictKind.ImplementerBusy, null, "CHG0000032"),
        }));
    }

    [Test]
    public void Detect_WhenPlanEndsBeforeItStarts_RejectsThePlannedEnd()
    {
        var ex = Assert.Throws<FieldValidationException>(() => Detect(Plan(End, Start, [San]), []));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "plannedEnd" }));
    }

    [Test]
    public void Detect_WhenBlackoutNamesNotResolved_Throws()
    {
        var unresolved = new ChangeWindows([], [YearEndFreeze()]);

        Assert.Throws<InvalidOperationException>(() => Detect(Plan(Start, End, [San]), [], windows: unresolved));
    }
}
