using Itsm.Domain.Changes.Scheduling;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;

namespace Itsm.Domain.Tests.Changes;

/// <summary>change-windows.yaml loads, and each fault is reported as file:line: message, all in one pass.</summary>
public class ChangeWindowsReaderTests
{
    private const string Valid = """
        maintenance-windows:
          - id: weekend-nights
            label: Weekend nights
            recurrence: FREQ=WEEKLY;BYDAY=SA,SU
            start: "22:00"
            duration: 6h
            time-zone: Europe/Berlin
            classes: [server, database]
          - id: core-switch
            label: Core switch Sundays
            recurrence: FREQ=WEEKLY;BYDAY=SU
            start: "06:00"
            duration: 1h30m
            time-zone: Europe/Berlin
            cis: [dc1-core-01]
        blackouts:
          - id: year-end-freeze
            label: Year-end freeze
            start: 2026-12-20T00:00+01:00
            end: 2027-01-04T00:00+01:00
            services: [Payroll, Online Shop]
          - id: power
            label: Power maintenance
            start: 2027-03-13T05:00Z
            end: 2027-03-14T17:00Z
            global: true
        """;

    private static string With(string find, string replace)
    {
        if (!Valid.Contains(find, StringComparison.Ordinal)) throw new ArgumentException($"'{find}' is not in the sample YAML.", nameof(find));
        return Valid.Replace(find, replace, StringComparison.Ordinal);
    }

    private static string[] Errors(string yaml)
    {
        var ex = Assert.Throws<ProcessDefinitionException>(() => ChangeWindowsReader.Parse("test.yaml", yaml));
        return ex!.Message.Split(Environment.NewLine);
    }

    private static void AssertError(string yaml, string marker, string fault)
    {
        var prefix = $"test.yaml:{LineOf(yaml, marker)}: ";
        Assert.That(Errors(yaml), Has.Some.StartsWith(prefix).And.Contains(fault), $"expected an error at {prefix}containing \"{fault}\"");
    }

    [Test]
    public void Parse_WhenValid_ReadsWindowsAndBlackouts()
    {
        var windows = ChangeWindowsReader.Parse("test.yaml", Valid);

        var weekend = windows.Maintenance[0];
        var core = windows.Maintenance[1];
        var freeze = windows.Blackouts[0];
        Assert.Multiple(() =>
        {
            Assert.That((weekend.Id, weekend.Recurrence, weekend.StartTime, weekend.Duration, weekend.TimeZone),
                Is.EqualTo(("weekend-nights", "FREQ=WEEKLY;BYDAY=SA,SU", new TimeOnly(22, 0), TimeSpan.FromHours(6), "Europe/Berlin")));
            Assert.That(weekend.ClassCodes, Is.EqualTo(new[] { "server", "database" }));
            Assert.That(core.Duration, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(windows.For(1, "network-device", "dc1-core-01"), Is.SameAs(core));
            Assert.That((freeze.Scope, freeze.Start, freeze.End), Is.EqualTo((BlackoutScope.Services,
                new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.FromHours(1)), new DateTimeOffset(2027, 1, 4, 0, 0, 0, TimeSpan.FromHours(1)))));
            Assert.That(freeze.Names, Is.EqualTo(new[] { "Payroll", "Online Shop" }));
            Assert.That((windows.Blackouts[1].Scope, windows.Blackouts[1].Start), Is.EqualTo((BlackoutScope.Global, new DateTimeOffset(2027, 3, 13, 5, 0, 0, TimeSpan.Zero))));
        });
    }

    [Test]
    public void Load_TheRepositoryFile_LoadsAndCoversServersNetworkAndTheYearEnd()
    {
        var windows = ChangeWindowsReader.Load(Path.Combine(RepoRoot, "seed-data", "reference", ChangeWindowsReader.FileName));

        Assert.Multiple(() =>
        {
            Assert.That(windows.For(1, "database", "any-db")?.Label, Is.EqualTo("Weekend nights"));
            Assert.That(windows.For(2, "virtual-machine", "any-vm")?.Label, Is.EqualTo("Weekend nights"));
            Assert.That(windows.For(3, "network-device", "any-switch")?.Label, Is.EqualTo("Weekday early mornings"));
            Assert.That(windows.Blackouts.Select(b => b.Scope), Is.EquivalentTo(new[] { BlackoutScope.Services, BlackoutScope.Global }));
            Assert.That(windows.Blackouts.Single(b => b.Scope == BlackoutScope.Services).Names, Does.Contain("Payroll"));
        });
    }

    [Test]
    public void Load_WhenFileMissing_SaysSoWithItsName()
    {
        var ex = Assert.Throws<ProcessDefinitionException>(() => ChangeWindowsReader.Load(Path.Combine(Path.GetTempPath(), "no-such-dir", "change-windows.yaml")));

        Assert.That(ex!.Message, Does.StartWith("no-such-dir/change-windows.yaml:1: the change windows file"));
    }

    [Test]
    public void Parse_WhenKeyUnknown_NamesItAtItsLine() =>
        AssertError(With("    duration: 6h", "    duration: 6h\n    timezone: UTC"), "timezone: UTC", "unknown key 'timezone' in a maintenance window.");

    [Test]
    public void Parse_WhenTopLevelKeyUnknown_NamesIt() =>
        AssertError(Valid + "\nwindows: []\n", "windows: []", "unknown key 'windows' in the change windows file.");

    [Test]
    public void Parse_WhenRuleInvalid_ReportsTheRecurrenceLine() =>
        AssertError(With("FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=WEEKLY;BYDAY=SA,SX"), "BYDAY=SA,SX", "'FREQ=WEEKLY;BYDAY=SA,SX' is not a valid iCalendar RRULE");

    [Test]
    public void Parse_WhenRuleNeedsSince_SaysSo_AndWithSinceAcceptsIt()
    {
        var fortnightly = With("FREQ=WEEKLY;BYDAY=SU\n", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU\n");
        AssertError(fortnightly, "INTERVAL=2", "give 'since'");

        var withSince = fortnightly.Replace("    cis: [dc1-core-01]", "    cis: [dc1-core-01]\n    since: 2026-10-04", StringComparison.Ordinal);
        Assert.That(ChangeWindowsReader.Parse("test.yaml", withSince).Maintenance[1].Since, Is.EqualTo(new DateOnly(2026, 10, 4)));
    }

    [Test]
    public void Parse_WhenTimeZoneUnknown_ReportsItsLine() =>
        AssertError(With("time-zone: Europe/Berlin\n    classes", "time-zone: Europe/Bärlin\n    classes"), "Europe/Bärlin", "unknown time zone 'Europe/Bärlin'");

    [TestCase("0h", "'duration' is 0h; the duration must be positive.")]
    [TestCase("6 hours", "'duration' must be a length such as 6h, 90m, 1h30m or 1d, not '6 hours'.")]
    public void Parse_WhenDurationBad_ReportsItsLine(string duration, string fault) =>
        AssertError(With("duration: 6h", $"duration: {duration}"), $"duration: {duration}", fault);

    [Test]
    public void Parse_WhenStartNotATime_ReportsItsLine() =>
        AssertError(With("start: \"22:00\"", "start: \"10 pm\""), "10 pm", "'start' must be a local time of day such as \"22:00\", not '10 pm'.");

    [Test]
    public void Parse_WhenBlackoutEndsBeforeItStarts_ReportsTheEndLine() =>
        AssertError(With("end: 2027-01-04T00:00+01:00", "end: 2026-12-19T00:00+01:00"), "end: 2026-12-19",
            "'end' (2026-12-19T00:00+01:00) is not after 'start' (2026-12-20T00:00+01:00); a blackout must end after it starts.");

    [Test]
    public void Parse_WhenBlackoutTimeHasNoOffset_ReportsIt() =>
        AssertError(With("start: 2026-12-20T00:00+01:00", "start: 2026-12-20"), "start: 2026-12-20", "'start' must be a date and time with its offset");

    [Test]
    public void Parse_WhenIdRepeatsAcrossLists_PointsAtTheFirstUse()
    {
        var yaml = With("  - id: power", "  - id: weekend-nights");

        Assert.That(Errors(yaml), Is.EqualTo(new[]
        {
            $"test.yaml:{LineOf(Valid, "id: power")}: the window id 'weekend-nights' is already used at line 2; ids are unique across maintenance windows and blackouts.",
        }));
    }

    [Test]
    public void Parse_WhenClassInTwoWindows_NamesTheOtherWindow() =>
        AssertError(With("cis: [dc1-core-01]", "cis: [dc1-core-01]\n    classes: [storage, database]"), "classes: [storage, database]",
            "the class 'database' is already in the maintenance window 'weekend-nights' (line 8); a class has one maintenance window.");

    [Test]
    public void Parse_WhenMaintenanceWindowNamesNoCi_SaysSo() =>
        AssertError(With("    cis: [dc1-core-01]\n", ""), "id: core-switch", "the maintenance window 'core-switch' applies to no CI; list 'classes', 'cis' or both.");

    [Test]
    public void Parse_WhenBlackoutScopeMissingOrDoubled_SaysSo()
    {
        AssertError(With("\n    global: true", ""), "id: power", "the blackout 'power' freezes nothing; give 'global: true', 'services: [...]' or 'cis: [...]'.");
        AssertError(With("    global: true", "    global: true\n    cis: [db-payroll-01]"), "id: power",
            "the blackout 'power' gives more than one of 'global', 'services' and 'cis'; give exactly one.");
    }

    [Test]
    public void Parse_WhenSeveralFaults_ReportsEveryOneInOnePass()
    {
        var yaml = Valid
            .Replace("duration: 6h", "duration: 0m", StringComparison.Ordinal)
            .Replace("time-zone: Europe/Berlin\n    cis", "time-zone: Nowhere/City\n    cis", StringComparison.Ordinal)
            .Replace("end: 2027-03-14T17:00Z", "end: 2027-03-12T17:00Z", StringComparison.Ordinal);

        var lines = Errors(yaml);

        Assert.That(lines.Select(l => l.Split(':')[1]), Is.EqualTo(new[]
        {
            LineOf(yaml, "duration: 0m").ToString(), LineOf(yaml, "Nowhere/City").ToString(), LineOf(yaml, "end: 2027-03-12").ToString(),
        }));
    }

    [Test]
    public void Parse_WhenYamlBroken_ReportsSyntaxError() =>
        Assert.That(Errors(With("classes: [server, database]", "classes: [server, database")), Has.Some.Contains(": YAML syntax error: "));
}
