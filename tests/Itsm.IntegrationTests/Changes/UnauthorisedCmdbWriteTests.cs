using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// A CMDB write is authorised only by a change its writer is implementing, inside the change's window; any other write
/// is kept but marked unauthorised, with the reason, and listed for the change manager. Naming a change that does not
/// exist is a mistake: refused, nothing written.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class UnauthorisedCmdbWriteTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private HttpClient Engineer => App.Api("engineer");

    [Test]
    public async Task UpdateCi_WhenItsChangeIsBeingImplementedByTheWriterInItsWindow_IsAuthorised_OtherwiseMarkedWithTheReason()
    {
        var g = new CmdbTestGraph(App, Marker());
        var vm = await g.CiAsync("virtual-machine", "vm", new Dictionary<string, object?>
            { ["attributes"] = new Dictionary<string, string> { ["hostname"] = Marker() + ".corp.example" } });
        // A standard change needs no approval; its window must lie in the VM's maintenance window (weekend nights, Berlin).
        var start = NextSaturdayNight(App.Clock.UtcNow.AddDays(1));
        var change = await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "standard", template = "os-patch-linux", ciIds = new[] { vm }, plannedStart = start.ToString("O"),
        }), HttpStatusCode.Created);
        var number = change.Text("number");
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 2, changeNumber = number }), HttpStatusCode.OK);
        await TransitionAsync(number, "schedule-standard");
        App.Clock.Advance(start - App.Clock.UtcNow + TimeSpan.FromMinutes(10));
        await TransitionAsync(number, "start-implementation");

        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 1, changeNumber = number }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("admin").PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 3, changeNumber = number }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 4 }), HttpStatusCode.OK);

        var sets = (await ReadAsync($"/api/v1/cmdb/changesets?ciId={vm}")).GetProperty("items").EnumerateArray()
            .Select(s => (s.TextOrNull("changeNumber"), s.TextOrNull("unauthorisedReason"))).ToList();
        Assert.That(sets, Is.EqualTo(new (string?, string?)[]
        {
            (null, "it names no change."),
            (number, $"Alice Admin is not the implementer of {number} (Erik Engineer)."),
            (number, null),
            (number, $"{number} is not being implemented (it is new)."),
            (null, "it names no change."),
        }), "newest first: only the implementer's write in the window is covered");
        var listed = (await ReadAsync("/api/v1/cmdb/changesets?unauthorised=true&pageSize=200", "changemanager")).GetProperty("items").EnumerateArray()
            .Select(s => s.GetProperty("id").GetInt64()).ToList();
        var forVm = (await ReadAsync($"/api/v1/cmdb/changesets?ciId={vm}")).GetProperty("items").EnumerateArray().ToList();
        Assert.That(listed, Is.SupersetOf(forVm.Where(s => s.TextOrNull("unauthorisedReason") is not null).Select(s => s.GetProperty("id").GetInt64())));
        Assert.That(listed, Does.Not.Contain(forVm.Single(s => s.TextOrNull("changeNumber") == number && s.TextOrNull("unauthorisedReason") is null).GetProperty("id").GetInt64()));

        App.Clock.Advance(TimeSpan.FromHours(3));
        await IncidentApi.ExpectAsync(await Engineer.PatchAsJsonAsync($"/api/v1/cis/{vm}", new { criticality = 2, changeNumber = number }), HttpStatusCode.OK);
        var late = (await ReadAsync($"/api/v1/cmdb/changesets?ciId={vm}")).GetProperty("items")[0].TextOrNull("unauthorisedReason");
        Assert.That(late, Does.Contain("window").And.Contain(number), "after its window the change covers nothing");
    }

    [Test]
    public async Task UpdateCi_WhenTheNamedChangeDoesNotExist_Refuses400AndWritesNothing()
    {
        var g = new CmdbTestGraph(App, Marker());
        var app = await g.CiAsync("application-component", "app");
        var before = await CmdbCounts.OfAsync(App);

        var unknown = await Engineer.PatchAsJsonAsync($"/api/v1/cis/{app}", new { criticality = 2, changeNumber = "CHG9999999" });
        var notAChange = await Engineer.PatchAsJsonAsync($"/api/v1/cis/{app}", new { criticality = 2, changeNumber = "INC0001001" });

        Assert.That((unknown.StatusCode, notAChange.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("changeNumber").And.Contain("There is no change CHG9999999"));
        Assert.That(await CmdbCounts.OfAsync(App), Is.EqualTo(before));
    }

    private async Task TransitionAsync(string number, string transition) =>
        await IncidentApi.ExpectAsync(await Engineer.PostAsJsonAsync($"/api/v1/changes/{number}/transitions", new { transition }), HttpStatusCode.OK);

    private async Task<JsonElement> ReadAsync(string path, string user = "agent") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync(path), HttpStatusCode.OK);

    /// <summary>The first Saturday 22:00 in Berlin after <paramref name="after"/>, in UTC.</summary>
    private static DateTimeOffset NextSaturdayNight(DateTimeOffset after)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = TimeZoneInfo.ConvertTime(after, berlin).Date;
        while (local.DayOfWeek != DayOfWeek.Saturday) local = local.AddDays(1);
        var at = local.AddHours(22);
        return new DateTimeOffset(at, berlin.GetUtcOffset(at)).ToUniversalTime();
    }
}
