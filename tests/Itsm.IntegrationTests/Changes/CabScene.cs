using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// Changes for the CAB tests, made through the API as people make them: a component owned by Server Operations that a
/// business service (owned by the Service Desk) depends on; changes raised by the admin, assessed, sent for authorisation
/// by the change manager; owners' approvals given by a member of each owner group.
/// </summary>
public sealed class CabScene(ItsmApp app)
{
    /// <summary>The CAB's members in the demo data (the Change Advisory Board group); none raises or implements the scene's changes.</summary>
    public static readonly string[] CabMembers = ["cabmember", "lena.fischer", "tom.baker"];

    private readonly CmdbTestGraph _graph = new(app, "cab" + Guid.NewGuid().ToString("N")[..8]);
    private long? _component, _quiet;
    private int _count;

    /// <summary>The application component the high-risk changes touch (a business service depends on it).</summary>
    public async Task<long> ComponentAsync()
    {
        if (_component is { } id) return id;
        var component = await _graph.CiAsync("application-component", "payments",
            new Dictionary<string, object?> { ["ownerGroup"] = "Server Operations", ["criticality"] = 2 });
        var service = await _graph.CiAsync("business-service", "Payments",
            new Dictionary<string, object?> { ["ownerGroup"] = "Service Desk", ["criticality"] = 2 });
        await _graph.LinkAsync(service, "depends-on", component);
        return (_component = component).Value;
    }

    /// <summary>A low-criticality component nothing depends on: a normal change on it is low risk (owners approve, no CAB).</summary>
    private async Task<long> QuietAsync() => _quiet ??= await _graph.CiAsync("application-component", "intranet-wiki",
        new Dictionary<string, object?> { ["ownerGroup"] = "Server Operations", ["criticality"] = 4 });

    /// <summary>
    /// A normal change whose questionnaire makes it high risk (not tested in staging): the policy asks the owners, then the
    /// CAB. <paramref name="authorize"/> false leaves it in Assess.
    /// </summary>
    public async Task<string> HighRiskChangeAsync(DateTimeOffset start, bool authorize = true) =>
        await RaiseAsync(await ComponentAsync(), start, new Dictionary<string, string> { ["tested-in-staging"] = "no" }, authorize);

    /// <summary>A low-risk normal change: its owners approve it, the CAB is not asked.</summary>
    public async Task<string> LowRiskChangeAsync(DateTimeOffset start) =>
        await RaiseAsync(await QuietAsync(), start, new Dictionary<string, string> { ["tested-in-staging"] = "yes" }, authorize: true);

    private async Task<string> RaiseAsync(long ci, DateTimeOffset start, Dictionary<string, string> answers, bool authorize)
    {
        var admin = app.Api("admin");
        var created = await IncidentApi.ExpectAsync(await admin.PostAsJsonAsync("/api/v1/changes", new
        {
            type = "normal",
            shortDescription = $"CAB test change {++_count}: upgrade the payment gateway",
            justification = "The vendor ends support for the current version.",
            implementationPlan = "Install the new version on the cluster, node by node.",
            backoutPlan = "Reinstall the previous version from the image.",
            testPlan = "Run the payment smoke tests.",
            plannedStart = Iso(start),
            plannedEnd = Iso(start.AddHours(2)),
            ciIds = new[] { ci },
            riskAnswers = answers,
        }), HttpStatusCode.Created);
        var number = created.Number();
        await TransitionAsync("admin", number, "submit-for-assessment");
        if (authorize) await TransitionAsync("changemanager", number, "request-authorization");
        return number;
    }

    public async Task TransitionAsync(string user, string number, string transition) =>
        await IncidentApi.ExpectAsync(await app.Api(user).PostAsJsonAsync($"/api/v1/changes/{number}/transitions", new { transition }), HttpStatusCode.OK);

    /// <summary>The owner stage approved: Server Operations (by the engineer) and the Service Desk (by the agent) approve.</summary>
    public async Task ApproveOwnersAsync(string number)
    {
        await DecideAsync(number, "engineer", "ci-owners");
        await DecideAsync(number, "agent", "service-owners");
        var approvals = await ApprovalsAsync(number, "admin");
        Assert.That(approvals.GetProperty("currentStageName").GetString(), Is.EqualTo("CAB approval"), approvals.ToString());
    }

    /// <summary>The approval of <paramref name="setKey"/> that <paramref name="user"/> may decide, decided through the change API.</summary>
    public async Task DecideAsync(string number, string user, string setKey, string decision = "approve", string? comment = null)
    {
        var approvals = await ApprovalsAsync(number, user);
        var mine = approvals.GetProperty("approvals").EnumerateArray()
            .FirstOrDefault(a => a.GetProperty("setKey").GetString() == setKey && a.GetProperty("canDecide").GetBoolean());
        Assert.That(mine.ValueKind, Is.EqualTo(JsonValueKind.Object), $"{user} may decide a {setKey} approval of {number}: {approvals}");
        await IncidentApi.ExpectAsync(await app.Api(user).PostAsJsonAsync(
            $"/api/v1/changes/{number}/approvals/{mine.GetProperty("id").GetGuid()}/decision", new { decision, comment }), HttpStatusCode.OK);
    }

    public async Task<JsonElement> ApprovalsAsync(string number, string user = "admin") =>
        await IncidentApi.ExpectAsync(await app.Api(user).GetAsync($"/api/v1/changes/{number}/approvals"), HttpStatusCode.OK);

    public async Task<string> StateAsync(string number) =>
        (await IncidentApi.ExpectAsync(await app.Api("admin").GetAsync($"/api/v1/changes/{number}"), HttpStatusCode.OK)).Text("state");

    /// <summary>A period of its own for each test, far enough out that no other test's changes start in it.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Period(ItsmApp app, int slot)
    {
        var from = new DateTimeOffset(app.Clock.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(30 + slot * 10);
        return (from, from.AddDays(7));
    }

    public static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Plans a meeting as the change manager for the period; fails the test unless it is created.</summary>
    public async Task<JsonElement> PlanAsync((DateTimeOffset From, DateTimeOffset To) period, string[]? changeNumbers = null, string title = "Weekly CAB")
    {
        var starts = app.Clock.UtcNow.AddDays(1);
        return await IncidentApi.ExpectAsync(await app.Api("changemanager").PostAsJsonAsync("/api/v1/cab/meetings", new
        {
            title,
            startsAt = Iso(starts),
            endsAt = Iso(starts.AddHours(1)),
            periodFrom = Iso(period.From),
            periodTo = Iso(period.To),
            changeNumbers = changeNumbers ?? [],
        }), HttpStatusCode.Created);
    }

    /// <summary>Starts the meeting as the change manager; fails the test unless it starts.</summary>
    public async Task<JsonElement> StartAsync(JsonElement meeting) =>
        await IncidentApi.ExpectAsync(await app.Api("changemanager").PostAsync($"/api/v1/cab/meetings/{meeting.GetProperty("id").GetGuid()}/start", null),
            HttpStatusCode.OK);

    /// <summary>The meeting as <paramref name="user"/> reads it now.</summary>
    public async Task<JsonElement> MeetingAsync(JsonElement meeting, string user = "changemanager") =>
        await IncidentApi.ExpectAsync(await app.Api(user).GetAsync($"/api/v1/cab/meetings/{meeting.GetProperty("id").GetGuid()}"), HttpStatusCode.OK);

    public static IReadOnlyList<string> Agenda(JsonElement meeting) =>
        meeting.GetProperty("agenda").EnumerateArray().Select(i => i.Text("changeNumber")).ToList();
}
