using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Common;
using static Itsm.Domain.Tests.Changes.SchedulingFixture;

namespace Itsm.Domain.Tests.Changes;

/// <summary>Maintenance windows recur in local time (DST-correct), blackouts freeze by scope, lookups prefer CI names.</summary>
public class ChangeWindowsTests
{
    [Test]
    public void Occurrences_WhenClocksGoBack_StartStaysAt22LocalAndMovesInUtc()
    {
        // Berlin leaves summer time on Sunday 2026-10-25 at 03:00: Saturday 22:00 is UTC+2, Sunday 22:00 is UTC+1.
        var starts = WeekendNights().Occurrences(Utc("2026-10-23 00:00"), Utc("2026-10-27 00:00")).Select(o => o.Start).ToList();

        Assert.That(starts, Is.EqualTo(new[] { Utc("2026-10-24 20:00"), Utc("2026-10-25 21:00") }));
    }

    [Test]
    public void Occurrences_WhenClocksGoForward_StartStaysAt22LocalAndMovesInUtc()
    {
        // Berlin enters summer time on Sunday 2026-03-29 at 02:00.
        var starts = WeekendNights().Occurrences(Utc("2026-03-27 00:00"), Utc("2026-03-31 00:00")).Select(o => o.Start).ToList();

        Assert.That(starts, Is.EqualTo(new[] { Utc("2026-03-28 21:00"), Utc("2026-03-29 20:00") }));
    }

    [Test]
    public void Occurrences_WhenNightSpansTheDstChange_LastsTheElapsedDuration()
    {
        var night = WeekendNights().Occurrences(Utc("2026-10-24 00:00"), Utc("2026-10-25 00:00")).Single();

        // 22:00 CEST + 6h = 03:00 CET, i.e. 02:00 UTC.
        Assert.That(night, Is.EqualTo((Utc("2026-10-24 20:00"), Utc("2026-10-25 02:00"))));
    }

    [Test]
    public void Occurrences_WhenOneStartedBeforeFrom_IncludesItButNotOneEndingAtFrom()
    {
        var window = WeekendNights();

        var running = window.Occurrences(Utc("2026-12-06 01:00"), Utc("2026-12-06 02:00")).ToList();
        var endedAtFrom = window.Occurrences(Utc("2026-12-06 03:00"), Utc("2026-12-06 12:00")).ToList();

        Assert.That(running, Is.EqualTo(new[] { (Utc("2026-12-05 21:00"), Utc("2026-12-06 03:00")) }));
        Assert.That(endedAtFrom, Is.Empty);
    }

    [Test]
    public void Occurrences_WhenRuleHasIntervalAndSince_CountsFromSince()
    {
        var fortnightly = new MaintenanceWindow("fortnightly", "Every other Saturday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", new TimeOnly(22, 0),
            TimeSpan.FromHours(4), "UTC", ["server"], [], since: new DateOnly(2026, 10, 3));

        var starts = fortnightly.Occurrences(Utc("2026-10-20 00:00"), Utc("2026-11-20 00:00")).Select(o => o.Start).ToList();

        Assert.That(starts, Is.EqualTo(new[] { Utc("2026-10-31 22:00"), Utc("2026-11-14 22:00") }));
    }

    [Test]
    public void Covers_WhenPlanInsideOneOccurrence_IsTrue_AndWhenItCrossesItsEdges_IsFalse()
    {
        var window = WeekendNights();

        Assert.Multiple(() =>
        {
            Assert.That(window.Covers(Utc("2026-12-05 21:00"), Utc("2026-12-06 03:00")), Is.True, "exactly the occurrence");
            Assert.That(window.Covers(Utc("2026-12-05 23:00"), Utc("2026-12-06 00:30")), Is.True, "inside");
            Assert.That(window.Covers(Utc("2026-12-05 20:59"), Utc("2026-12-05 22:00")), Is.False, "starts a minute early");
            Assert.That(window.Covers(Utc("2026-12-06 02:00"), Utc("2026-12-06 03:01")), Is.False, "ends a minute late");
            Assert.That(window.Covers(Utc("2026-12-05 22:00"), Utc("2026-12-06 22:00")), Is.False, "spans two occurrences");
            Assert.That(window.Covers(Utc("2026-12-09 22:00"), Utc("2026-12-09 23:00")), Is.False, "a Wednesday");
        });
    }

    [Test]
    public void Describe_WhenWeekly_NamesDaysTimesAndZone()
    {
        Assert.That(WeekendNights().Describe(), Is.EqualTo("Sat, Sun 22:00–04:00 Europe/Berlin"));
        Assert.That(WeekdayMornings().Describe(), Is.EqualTo("Mon–Fri 05:00–07:00 Europe/Berlin"));
    }

    [TestCase("FREQ=WEEKLY;BYDAY=SX", "is not a valid iCalendar RRULE")]
    [TestCase("FREQ=HOURLY", "more often than daily")]
    [TestCase("FREQ=DAILY;BYHOUR=3", "the time of day is the window's 'start'")]
    [TestCase("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA", "give 'since'")]
    [TestCase("FREQ=WEEKLY", "does not say on which days")]
    public void Constructor_WhenRuleUnusable_RejectsRecurrence(string rule, string fault)
    {
        var ex = Assert.Throws<FieldValidationException>(() =>
            new MaintenanceWindow("w", "W", rule, new TimeOnly(22, 0), TimeSpan.FromHours(1), "UTC", ["server"], []));

        Assert.That(ex!.Errors["recurrence"].Single(), Does.Contain(fault));
    }

    [Test]
    public void Constructor_WhenTimeZoneUnknownOrDurationNotPositive_RejectsThatField()
    {
        var zone = Assert.Throws<FieldValidationException>(() =>
            new MaintenanceWindow("w", "W", "FREQ=DAILY", new TimeOnly(22, 0), TimeSpan.FromHours(1), "Europe/Atlantis", ["server"], []));
        var length = Assert.Throws<FieldValidationException>(() =>
            new MaintenanceWindow("w", "W", "FREQ=DAILY", new TimeOnly(22, 0), TimeSpan.Zero, "UTC", ["server"], []));

        Assert.That(zone!.Errors["timeZone"].Single(), Does.Contain("unknown time zone 'Europe/Atlantis'"));
        Assert.That(length!.Errors["duration"].Single(), Does.Contain("positive"));
    }

    [Test]
    public void For_WhenCiNamedInOneWindowAndItsClassInAnother_TheNameWins()
    {
        var dbWindow = new MaintenanceWindow("payroll-db-sundays", "Payroll DB Sundays", "FREQ=WEEKLY;BYDAY=SU", new TimeOnly(1, 0),
            TimeSpan.FromHours(2), "Europe/Berlin", [], ["db-payroll-01"]);
        var windows = new ChangeWindows([WeekendNights(), dbWindow], []);

        Assert.Multiple(() =>
        {
            Assert.That(windows.For(PayrollDb.Id, "database", "db-payroll-01")?.Id, Is.EqualTo("payroll-db-sundays"));
            Assert.That(windows.For(9, "DATABASE", "db-other"), Is.Not.Null.And.Property("Id").EqualTo("weekend-nights"), "class codes compare case-insensitively");
            Assert.That(windows.For(San), Is.Null, "storage has no window");
        });
    }

    [Test]
    public void Constructor_WhenIdRepeatsOrClassInTwoWindows_Throws()
    {
        var blackoutWithWindowId = new BlackoutWindow("weekend-nights", "Clash", Utc("2026-12-01 00:00"), Utc("2026-12-02 00:00"), BlackoutScope.Global, []);

        Assert.Throws<ArgumentException>(() => new ChangeWindows([WeekendNights()], [blackoutWithWindowId]));
        var other = new MaintenanceWindow("other", "Other", "FREQ=DAILY", new TimeOnly(1, 0), TimeSpan.FromHours(1), "UTC", ["server"], []);
        Assert.Throws<ArgumentException>(() => new ChangeWindows([WeekendNights(), other], []));
    }

    [Test]
    public void Applies_WhenServiceScoped_MatchesResolvedServiceIdsOnly()
    {
        var freeze = YearEndFreeze();
        Assert.Throws<InvalidOperationException>(() => freeze.Applies([PayrollDb.Id], [PayrollService]), "names must be resolved first");

        var resolved = Resolved(new ChangeWindows([], [freeze])).Blackouts.Single();

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Applies([PayrollDb.Id], [PayrollService]), Is.True);
            Assert.That(resolved.Applies([PayrollDb.Id], [ShopService]), Is.False);
            Assert.That(resolved.Applies([PayrollService], []), Is.False, "a service id among the CIs does not count");
        });
    }

    [Test]
    public void Applies_WhenCiScoped_MatchesCiIds_AndReportsNamesNotFound()
    {
        var window = new BlackoutWindow("san-migration", "SAN migration", Utc("2026-11-01 00:00"), Utc("2026-11-02 00:00"), BlackoutScope.Cis,
            ["dc1-san-01", "dc9-unknown"]);

        var resolved = Resolved(new ChangeWindows([], [window])).Blackouts.Single();

        Assert.Multiple(() =>
        {
            Assert.That(resolved.Applies([San.Id], [PayrollService]), Is.True);
            Assert.That(resolved.Applies([PayrollDb.Id], [PayrollService]), Is.False);
            Assert.That(resolved.UnresolvedNames, Is.EqualTo(new[] { "dc9-unknown" }));
        });
    }

    [Test]
    public void Applies_WhenGlobal_AppliesToAnyChangeWithoutResolving()
    {
        var global = new BlackoutWindow("power", "Power maintenance", Utc("2027-03-13 05:00"), Utc("2027-03-14 17:00"), BlackoutScope.Global, []);

        Assert.That(global.Applies([], []), Is.True);
    }

    [Test]
    public void Overlaps_IsHalfOpen()
    {
        var freeze = YearEndFreeze(); // 2026-12-19 23:00Z to 2027-01-03 23:00Z

        Assert.Multiple(() =>
        {
            Assert.That(freeze.Overlaps(Utc("2026-12-19 22:00"), Utc("2026-12-19 23:00")), Is.False, "ends as the freeze starts");
            Assert.That(freeze.Overlaps(Utc("2027-01-03 23:00"), Utc("2027-01-04 01:00")), Is.False, "starts as the freeze ends");
            Assert.That(freeze.Overlaps(Utc("2026-12-19 22:00"), Utc("2026-12-19 23:01")), Is.True);
        });
    }

    [Test]
    public void Describe_WhenBlackoutEndsAtMidnight_ShowsTheLastDayIncluded()
    {
        Assert.That(YearEndFreeze().Describe(), Is.EqualTo("Dec 20 – Jan 3"));
        var day = new BlackoutWindow("power", "Power", new DateTimeOffset(2027, 3, 13, 6, 0, 0, TimeSpan.FromHours(1)),
            new DateTimeOffset(2027, 3, 14, 18, 0, 0, TimeSpan.FromHours(1)), BlackoutScope.Global, []);
        Assert.That(day.Describe(), Is.EqualTo("Mar 13 06:00 – Mar 14 18:00"));
    }
}
