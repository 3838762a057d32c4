using Itsm.Domain.Changes.Scheduling;
using static Itsm.Domain.Tests.Changes.SchedulingFixture;

namespace Itsm.Domain.Tests.Changes;

/// <summary>The assistant proposes the next conflict-free slots of the plan's length, within windows and outside freezes.</summary>
public class SchedulingAssistantTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static IReadOnlyList<FreeSlot> Slots(PlannedChange plan, TimeSpan duration, string from, IReadOnlyList<ScheduledChange>? others = null,
        ChangeWindows? windows = null, int count = 5, int hops = 1, TimeSpan? horizon = null) =>
        SchedulingAssistant.NextFreeSlots(plan, duration, Utc(from), others ?? [], Neighbours, hops, windows ?? ChangeWindows.None, count, horizon);

    private static FreeSlot Slot(string start, string end) => new(Utc(start), Utc(end));

    private static PlannedChange SanPlan(string? implementer = null, IReadOnlyList<long>? services = null) =>
        Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 11:00"), [San], services, implementer);

    [Test]
    public void NextFreeSlots_WhenNothingInTheWay_ProposesBackToBackSlotsFromTheNextStep()
    {
        var slots = Slots(SanPlan(), Hour, "2026-12-09 10:10", count: 3);

        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-12-09 10:30", "2026-12-09 11:30"),
            Slot("2026-12-09 11:30", "2026-12-09 12:30"),
            Slot("2026-12-09 12:30", "2026-12-09 13:30"),
        }));
    }

    [Test]
    public void NextFreeSlots_WhenSameCiRelatedCiAndImplementerBusy_SkipsEachOfThem()
    {
        var others = new[]
        {
            Other("CHG0000040", "Same CI", Utc("2026-12-09 10:30"), Utc("2026-12-09 12:00"), [San.Id]),
            Other("CHG0000041", "Related CI", Utc("2026-12-09 12:00"), Utc("2026-12-09 12:45"), [PayrollDb.Id]),
            Other("CHG0000042", "Elsewhere, same implementer", Utc("2026-12-09 13:00"), Utc("2026-12-09 14:00"), [CoreSwitch.Id], "erik", "Erik Engineer"),
            Other("CHG0000043", "Elsewhere, someone else", Utc("2026-12-09 14:00"), Utc("2026-12-09 18:00"), [CoreSwitch.Id], "anna", "Anna"),
        };

        var slots = Slots(SanPlan(implementer: "erik"), Hour, "2026-12-09 10:30", others, count: 2);

        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-12-09 14:00", "2026-12-09 15:00"),
            Slot("2026-12-09 15:00", "2026-12-09 16:00"),
        }));
    }

    [Test]
    public void NextFreeSlots_WhenCiHasMaintenanceWindow_ProposesSlotsInsideItsOccurrences()
    {
        var plan = Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 12:00"), [PayrollDb]);

        var slots = Slots(plan, TimeSpan.FromHours(2), "2026-12-09 10:00", windows: ResolvedWindows([WeekendNights()]), count: 4);

        // Saturday and Sunday 22:00–04:00 Berlin (UTC+1 in December): three slots fill Saturday night, then Sunday.
        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-12-12 21:00", "2026-12-12 23:00"),
            Slot("2026-12-12 23:00", "2026-12-13 01:00"),
            Slot("2026-12-13 01:00", "2026-12-13 03:00"),
            Slot("2026-12-13 21:00", "2026-12-13 23:00"),
        }));
    }

    [Test]
    public void NextFreeSlots_WhenWindowNightCrossesDstChange_FollowsLocalTime()
    {
        var plan = Plan(Utc("2026-10-21 10:00"), Utc("2026-10-21 16:00"), [PayrollDb]);

        var slots = Slots(plan, TimeSpan.FromHours(6), "2026-10-21 10:00", windows: ResolvedWindows([WeekendNights()]), count: 2);

        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-10-24 20:00", "2026-10-25 02:00"),
            Slot("2026-10-25 21:00", "2026-10-26 03:00"),
        }));
    }

    [Test]
    public void NextFreeSlots_WhenCisHaveDifferentWindows_SlotsFitAllOfThem()
    {
        // The core switch's own window (Saturdays 23:00–02:00) overlaps the database's weekend nights from 23:00.
        var saturdayLate = new MaintenanceWindow("saturday-late", "Saturday late", "FREQ=WEEKLY;BYDAY=SA", new TimeOnly(23, 0), TimeSpan.FromHours(3),
            "Europe/Berlin", [], ["dc1-core-01"]);
        var plan = Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 11:00"), [PayrollDb, CoreSwitch]);

        var slots = Slots(plan, Hour, "2026-12-09 10:00", windows: ResolvedWindows([WeekendNights(), saturdayLate]), count: 4);

        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-12-12 22:00", "2026-12-12 23:00"),
            Slot("2026-12-12 23:00", "2026-12-13 00:00"),
            Slot("2026-12-13 00:00", "2026-12-13 01:00"),
            Slot("2026-12-19 22:00", "2026-12-19 23:00"),
        }));
    }

    [Test]
    public void NextFreeSlots_WhenBlackoutApplies_ProposesUpToItsStartAndAfterItsEnd()
    {
        // The year-end freeze runs from 2026-12-19 23:00 UTC to 2027-01-03 23:00 UTC.
        var plan = Plan(Utc("2026-12-18 10:00"), Utc("2026-12-18 12:00"), [PayrollDb], services: [PayrollService]);

        var slots = Slots(plan, TimeSpan.FromHours(2), "2026-12-18 10:00", windows: ResolvedWindows([WeekendNights()], [YearEndFreeze()]), count: 2);

        Assert.That(slots, Is.EqualTo(new[]
        {
            Slot("2026-12-19 21:00", "2026-12-19 23:00"),
            Slot("2027-01-03 23:00", "2027-01-04 01:00"),
        }));
    }

    [Test]
    public void NextFreeSlots_InABusyEstate_EverySlotIsFreeOfEveryConflictKindAndOfTheSameLength()
    {
        var plan = Plan(Utc("2026-12-19 21:00"), Utc("2026-12-19 22:30"), [PayrollDb], services: [PayrollService], implementer: "erik");
        var duration = TimeSpan.FromMinutes(90);
        var windows = ResolvedWindows([WeekendNights()], [YearEndFreeze()]);
        var others = new[]
        {
            Other("CHG0000050", "DB patch", Utc("2026-12-12 21:00"), Utc("2026-12-12 22:00"), [PayrollDb.Id]),
            Other("CHG0000051", "SAN firmware", Utc("2026-12-12 22:00"), Utc("2026-12-13 00:10"), [San.Id]),
            Other("CHG0000052", "Switch", Utc("2026-12-13 00:30"), Utc("2026-12-13 02:00"), [CoreSwitch.Id], "erik", "Erik Engineer"),
            Other("CHG0000053", "App upgrade", Utc("2026-12-13 20:00"), Utc("2026-12-13 22:15"), [PayrollApp.Id]),
        };

        var slots = Slots(plan, duration, "2026-12-10 08:00", others, windows, count: 6);

        Assert.That(slots, Has.Count.EqualTo(6));
        Assert.Multiple(() =>
        {
            foreach (var slot in slots)
            {
                Assert.That(slot.End - slot.Start, Is.EqualTo(duration));
                var conflicts = ConflictDetector.Detect(plan with { Start = slot.Start, End = slot.End }, others, Neighbours, 1, windows);
                Assert.That(conflicts, Is.Empty, $"slot {slot}");
            }
        });
        // Saturday the 12th is taken until 02:00 and too short after; the freeze starts at 23:00 on the 19th and ends on the 3rd.
        Assert.That(slots.Select(s => s.Start), Is.EqualTo(new[]
        {
            Utc("2026-12-13 22:30"), Utc("2026-12-14 00:00"), Utc("2026-12-14 01:30"),
            Utc("2026-12-19 21:00"), Utc("2027-01-03 23:00"), Utc("2027-01-04 00:30"),
        }));
        Assert.That(slots.Zip(slots.Skip(1)).All(p => p.First.End <= p.Second.Start), "in order and not overlapping");
    }

    [Test]
    public void NextFreeSlots_WhenPlansOwnScheduleIsAmongTheOthers_DoesNotAvoidItself()
    {
        var plan = SanPlan();
        var itself = Other("CHG0000060", "This change", plan.Start, plan.End, [San.Id], id: plan.Id);

        var slots = Slots(plan, Hour, "2026-12-09 10:00", [itself], count: 1);

        Assert.That(slots, Is.EqualTo(new[] { Slot("2026-12-09 10:00", "2026-12-09 11:00") }));
    }

    [Test]
    public void NextFreeSlots_WhenNoRoomWithinHorizon_ProposesNone()
    {
        var plan = Plan(Utc("2026-12-07 10:00"), Utc("2026-12-07 11:00"), [PayrollDb]);

        var slots = Slots(plan, Hour, "2026-12-07 10:00", windows: ResolvedWindows([WeekendNights()]), horizon: TimeSpan.FromDays(2));

        Assert.That(slots, Is.Empty);
    }

    [Test]
    public void NextFreeSlots_WhenHorizonEndsMidWindow_SlotsEndWithinIt()
    {
        var plan = Plan(Utc("2026-12-09 10:00"), Utc("2026-12-09 11:00"), [PayrollDb]);

        // From Wednesday 10:00 UTC, 3 days 12 hours reach Saturday 22:00 UTC: one hour of Saturday night is inside.
        var slots = Slots(plan, Hour, "2026-12-09 10:00", windows: ResolvedWindows([WeekendNights()]), horizon: TimeSpan.FromHours(84));

        Assert.That(slots, Is.EqualTo(new[] { Slot("2026-12-12 21:00", "2026-12-12 22:00") }));
    }

    [Test]
    public void NextFreeSlots_WithTenThousandScheduledChanges_ReadsEachOnceAndSkipsTheBusyMonths()
    {
        // 1,000 changes on the plan's CI, 1h30 each every 2 hours (the 30-minute gaps are too short), among 9,000 elsewhere.
        var from = Utc("2026-12-09 10:00");
        var changes = new List<ScheduledChange>();
        for (var k = 0; k < 1000; k++)
            changes.Add(Other($"CHG{k:0000000}", "busy", from + TimeSpan.FromHours(2 * k), from + TimeSpan.FromHours(2 * k + 1.5), [San.Id]));
        for (var k = 0; k < 9000; k++)
            changes.Add(Other($"CHG{1000 + k:0000000}", "elsewhere", from + TimeSpan.FromMinutes(13 * k), from + TimeSpan.FromMinutes(13 * k + 90),
                [10_000 + k % 500], $"user-{k % 50}", "Someone"));
        var others = new CountingList<ScheduledChange>(changes);
        var neighbourCalls = 0;

        var slots = SchedulingAssistant.NextFreeSlots(SanPlan(implementer: "erik"), Hour, from, others,
            ci => { neighbourCalls++; return Neighbours(ci); }, 1, ChangeWindows.None, count: 2);

        var free = from + TimeSpan.FromHours(1999.5);
        Assert.That(slots, Is.EqualTo(new[] { new FreeSlot(free, free + Hour), new FreeSlot(free + Hour, free + 2 * Hour) }));
        Assert.That(others.Reads, Is.EqualTo(changes.Count), "the scheduled changes are read once, to keep the relevant ones");
        Assert.That(neighbourCalls, Is.EqualTo(1), "the neighbourhood is worked out once");
    }
}
