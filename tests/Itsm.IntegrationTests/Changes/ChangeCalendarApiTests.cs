using System.Net;
using System.Text.Json;
using Itsm.Domain.Changes.Scheduling;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// GET /api/v1/changes/calendar beside the changes: the blackouts that overlap the period (global, per service, per CI)
/// and every maintenance window with its occurrences in it; a restricted CI a blackout or a maintenance window names is
/// named only to those who may see it (counted for others), and a window only about CIs someone may not see is left out
/// for them. The app runs with windows of the test's own, naming CIs the test registers.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeCalendarApiTests(DbProvider provider)
{
    private static readonly string Marker = "cal" + Guid.NewGuid().ToString("N")[..8];
    private static readonly DateTimeOffset Monday = new(2031, 3, 3, 0, 0, 0, TimeSpan.Zero);

    private ItsmApp _app = null!;
    private string _secret = "", _open = "", _service = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        (_secret, _open, _service) = ($"payroll-db-{Marker}", $"wiki-{Marker}", $"Intranet-{Marker}");
        var windows = new ChangeWindows(
        [
            new MaintenanceWindow("nightly-servers", "Nightly servers", "FREQ=DAILY", new TimeOnly(1, 0), TimeSpan.FromHours(2), "UTC", ["server"], []),
            new MaintenanceWindow("payroll-nights", "Payroll nights", "FREQ=WEEKLY;BYDAY=SU", new TimeOnly(2, 0), TimeSpan.FromHours(3), "UTC", [], [_secret]),
            new MaintenanceWindow("wiki-mornings", "Wiki mornings", "FREQ=WEEKLY;BYDAY=TU", new TimeOnly(6, 0), TimeSpan.FromHours(1), "UTC", [], [_open, $"gone-{Marker}"]),
        ],
        [
            new BlackoutWindow("spring-freeze", "Spring freeze", Monday.AddDays(2), Monday.AddDays(3), BlackoutScope.Global, []),
            new BlackoutWindow("payroll-close", "Payroll close", Monday.AddDays(4), Monday.AddDays(5), BlackoutScope.Cis, [_secret]),
            new BlackoutWindow("data-move", "Data move", Monday.AddDays(5), Monday.AddDays(6), BlackoutScope.Cis, [_open, _secret]),
            new BlackoutWindow("intranet-launch", "Intranet launch", Monday.AddDays(1).AddHours(12), Monday.AddDays(1).AddHours(18), BlackoutScope.Services, [_service]),
            new BlackoutWindow("next-month", "Next month", Monday.AddDays(40), Monday.AddDays(41), BlackoutScope.Global, []),
        ]);
        _app = new ItsmApp(provider, services: s =>
        {
            s.RemoveAll<ChangeWindows>();
            s.AddSingleton(windows);
        });
        var graph = new CmdbTestGraph(_app, Marker);
        await graph.CiAsync("database", "payroll-db", new Dictionary<string, object?>
        {
            ["restricted"] = true, ["ownerGroup"] = "Database Administration", ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" },
        });
        await graph.CiAsync("application-component", "wiki", new Dictionary<string, object?> { ["ownerGroup"] = "Server Operations" });
        await graph.CiAsync("business-service", "Intranet", new Dictionary<string, object?> { ["ownerGroup"] = "Service Desk" });
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task Calendar_ForAWeek_ReturnsTheOverlappingBlackoutsAndTheMaintenanceWindowsOccurrences()
    {
        var week = await CalendarAsync("admin", Monday, Monday.AddDays(7));

        var blackouts = week.GetProperty("blackouts").EnumerateArray().ToList();
        Assert.That(blackouts.Select(b => b.Text("id")), Is.EqualTo(new[] { "intranet-launch", "spring-freeze", "payroll-close", "data-move" }),
            "those overlapping the week, earliest first; not next month's");
        var launch = blackouts[0];
        Assert.That((launch.Text("label"), launch.Text("kind"), launch.Text("scope")), Is.EqualTo(("Intranet launch", "services", _service)));
        Assert.That(launch.GetProperty("start").GetDateTimeOffset(), Is.EqualTo(Monday.AddDays(1).AddHours(12)));
        Assert.That((blackouts[1].Text("kind"), blackouts[1].Text("scope")), Is.EqualTo(("global", "everything")));
        Assert.That(blackouts[3].GetProperty("names").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { _open, _secret }), "the admin sees every CI");

        var maintenance = week.GetProperty("maintenanceWindows").EnumerateArray().ToDictionary(m => m.Text("id"));
        Assert.That(maintenance.Keys, Is.EquivalentTo(new[] { "nightly-servers", "payroll-nights", "wiki-mornings" }));
        var nightly = maintenance["nightly-servers"];
        Assert.That(nightly.GetProperty("classes").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { "server" }));
        Assert.That(nightly.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("start").GetDateTimeOffset()),
            Is.EqualTo(Enumerable.Range(0, 7).Select(d => Monday.AddDays(d).AddHours(1))), "one a night, in UTC");
        Assert.That(nightly.GetProperty("occurrences")[0].GetProperty("end").GetDateTimeOffset(), Is.EqualTo(Monday.AddHours(3)));
        Assert.That(nightly.Text("schedule"), Does.Contain("01:00–03:00 UTC"));
        Assert.That(nightly.Text("scope"), Is.EqualTo("Server"), "classes by their names");
        var payroll = maintenance["payroll-nights"];
        Assert.That(payroll.GetProperty("occurrences").EnumerateArray().Select(o => o.GetProperty("start").GetDateTimeOffset()),
            Is.EqualTo(new[] { Monday.AddDays(6).AddHours(2) }));
        var wiki = maintenance["wiki-mornings"];
        Assert.That((string.Join(",", wiki.GetProperty("cis").EnumerateArray().Select(c => c.GetString())), wiki.GetProperty("hiddenCis").GetInt32()),
            Is.EqualTo((_open, 1)), "a name no CI has is not shown, only counted");
        Assert.That(wiki.Text("scope"), Is.EqualTo($"{_open} and 1 other CI"));
    }

    [TestCase("changemanager")]
    [TestCase("cabmember")]
    [TestCase("agent")]
    public async Task Calendar_WhenTheViewerMayNotSeeTheRestrictedCi_NeverNamesIt(string user)
    {
        var reply = await _app.Api(user).SendAsync(HttpMethod.Get, Path(Monday, Monday.AddDays(7)), null);

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        Assert.That(reply.Text, Does.Not.Contain(_secret), "the restricted CI's name is nowhere in the answer");
        var blackouts = reply.Json.GetProperty("blackouts").EnumerateArray().ToList();
        Assert.That(blackouts.Select(b => b.Text("id")), Is.EqualTo(new[] { "intranet-launch", "spring-freeze", "data-move" }),
            "the blackout only for the restricted CI is left out: it freezes nothing they could plan");
        var move = blackouts[2];
        Assert.That(move.GetProperty("names").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { _open }));
        Assert.That((move.GetProperty("hiddenNames").GetInt32(), move.Text("scope")), Is.EqualTo((1, $"{_open} and 1 other CI")));
        var maintenance = reply.Json.GetProperty("maintenanceWindows").EnumerateArray().Select(m => m.Text("id"));
        Assert.That(maintenance, Is.EquivalentTo(new[] { "nightly-servers", "wiki-mornings" }), "the window only for the restricted CI is left out");
    }

    [Test]
    public async Task Calendar_WhenTheViewerIsInTheRestrictedCisOwnerGroup_NamesIt()
    {
        // The engineer is in Database Administration, the restricted CI's owner group.
        var week = await CalendarAsync("engineer", Monday, Monday.AddDays(7));

        var blackouts = week.GetProperty("blackouts").EnumerateArray().ToDictionary(b => b.Text("id"));
        Assert.That(blackouts["payroll-close"].Text("scope"), Is.EqualTo(_secret));
        Assert.That(blackouts["data-move"].GetProperty("hiddenNames").GetInt32(), Is.EqualTo(0));
        var payroll = week.GetProperty("maintenanceWindows").EnumerateArray().Single(m => m.Text("id") == "payroll-nights");
        Assert.That(payroll.GetProperty("cis").EnumerateArray().Select(c => c.GetString()), Is.EqualTo(new[] { _secret }));
    }

    [Test]
    public async Task Calendar_WhenThePeriodHasNoBlackout_ReturnsNoneButTheMaintenanceWindowsStill()
    {
        var quiet = await CalendarAsync("agent", Monday.AddDays(14), Monday.AddDays(21));

        Assert.That(quiet.GetProperty("blackouts").GetArrayLength(), Is.EqualTo(0));
        var nightly = quiet.GetProperty("maintenanceWindows").EnumerateArray().Single(m => m.Text("id") == "nightly-servers");
        Assert.That(nightly.GetProperty("occurrences").GetArrayLength(), Is.EqualTo(7));
    }

    [Test]
    public async Task Calendar_ForTheLongestPeriod_KeepsTheOccurrencesBoundedByItsDays()
    {
        const int days = Application.Features.Changes.GetChangeCalendar.MaxDays;
        var longest = await CalendarAsync("agent", Monday, Monday.AddDays(days));

        foreach (var window in longest.GetProperty("maintenanceWindows").EnumerateArray())
            Assert.That(window.GetProperty("occurrences").GetArrayLength(), Is.LessThanOrEqualTo(days + 1), window.Text("id"));
        var tooLong = await _app.Api("agent").SendAsync(HttpMethod.Get, Path(Monday, Monday.AddDays(days + 1)), null);
        Assert.That((tooLong.Status, tooLong.IsProblem), Is.EqualTo((400, true)), tooLong.ToString());
    }

    [Test]
    public async Task Calendar_WhenARequesterAsks_Is403AndSaysNothingOfTheWindows()
    {
        var reply = await _app.Api("requester").SendAsync(HttpMethod.Get, Path(Monday, Monday.AddDays(7)), null);

        Assert.That((reply.Status, reply.IsProblem), Is.EqualTo((403, true)), reply.ToString());
        Assert.That(reply.Text, Does.Not.Contain("freeze").IgnoreCase.And.Not.Contain(Marker));
    }

    private static string Path(DateTimeOffset from, DateTimeOffset to) =>
        $"/api/v1/changes/calendar?from={CabScene.Iso(from)}&to={CabScene.Iso(to)}";

    private async Task<JsonElement> CalendarAsync(string user, DateTimeOffset from, DateTimeOffset to) =>
        await IncidentApi.ExpectAsync(await _app.Api(user).GetAsync(Path(from, to)), HttpStatusCode.OK);
}
