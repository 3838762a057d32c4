using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.Domain.Changes.Scheduling;
using Itsm.IntegrationTests.Cmdb;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// One app per fixture and provider, with what the change API tests share: a planned window of its own for every change
/// (so that changes of different tests never overlap and the implementer is never busy by accident), a full plan,
/// raising, moving and reading changes, and deciding their approvals.
/// </summary>
public abstract class ChangeApiFixture(DbProvider provider) : IncidentApiFixture(provider)
{
    private DateTimeOffset? _nextSlot;
    private DateTimeOffset _nextWindowed = DateTimeOffset.MinValue;

    protected HttpClient Engineer => App.Api("engineer");
    protected HttpClient ChangeManager => App.Api("changemanager");

    private ChangeWindows Windows => App.Services.GetRequiredService<ChangeWindows>();

    /// <summary>
    /// A window no other change of this fixture uses, at least a fortnight ahead (past the lead time a normal change needs), on the
    /// hour and clear of every global blackout.
    /// </summary>
    protected (DateTimeOffset Start, DateTimeOffset End) Slot(TimeSpan? length = null)
    {
        var span = length ?? TimeSpan.FromHours(1);
        var now = App.Clock.UtcNow.AddDays(14);
        var earliest = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        // A test that moved the clock on may have left the next slot too close (or in the past).
        var start = _nextSlot is { } next && next >= earliest ? next : earliest;
        while (Windows.Blackouts.Any(b => b.Scope == BlackoutScope.Global && b.Overlaps(start, start + span))) start = start.AddHours(1);
        _nextSlot = start + span + TimeSpan.FromHours(1);
        return (start, start + span);
    }

    /// <summary>A window inside the next unused occurrence of the maintenance window of the class (change-windows.yaml).</summary>
    protected (DateTimeOffset Start, DateTimeOffset End) WindowedSlot(string classCode, TimeSpan length)
    {
        var window = Windows.Maintenance.Single(w => w.ClassCodes.Contains(classCode));
        var from = App.Clock.UtcNow.AddDays(14);
        var occurrence = window.Occurrences(from, from.AddDays(400))
            .First(o => o.Start >= _nextWindowed && !Windows.Blackouts.Any(b => b.Overlaps(o.Start, o.End)));
        _nextWindowed = occurrence.End;
        var start = occurrence.Start.AddMinutes(30);
        Assert.That(start + length, Is.LessThanOrEqualTo(occurrence.End), $"{length} fits in {window.Label}");
        return (start, start + length);
    }

    /// <summary>The body of a normal change with a complete plan on <paramref name="cis"/>, in a window of its own.</summary>
    protected Dictionary<string, object?> NormalBody(IEnumerable<long> cis, string? implementer = null, (DateTimeOffset Start, DateTimeOffset End)? window = null,
        string type = "normal")
    {
        var (start, end) = window ?? Slot();
        var body = new Dictionary<string, object?>
        {
            ["type"] = type,
            ["shortDescription"] = "Upgrade " + Marker(),
            ["justification"] = "The vendor ends support for the running version.",
            ["implementationPlan"] = "Stop the service, install the new version, start the service.",
            ["backoutPlan"] = "Reinstall the previous version from the package cache.",
            ["testPlan"] = "The health check answers and the smoke tests pass.",
            ["plannedStart"] = start,
            ["plannedEnd"] = end,
            ["ciIds"] = cis.ToArray(),
        };
        if (implementer is not null) body["implementer"] = implementer;
        return body;
    }

    protected async Task<JsonElement> RaiseAsync(object body, string user = "engineer") =>
        await IncidentApi.ExpectAsync(await App.Api(user).PostAsJsonAsync("/api/v1/changes", body), HttpStatusCode.Created);

    protected async Task<string> RaiseNormalAsync(IEnumerable<long> cis, string user = "engineer", string? implementer = null) =>
        (await RaiseAsync(NormalBody(cis, implementer), user)).Number();

    protected async Task<JsonElement> ChangeAsync(string number, string user = "engineer") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/changes/{number}"), HttpStatusCode.OK);

    protected Task<HttpResponseMessage> TransitionAsync(string number, string transition, object? fields = null, string user = "engineer") =>
        App.Api(user).PostAsJsonAsync($"/api/v1/changes/{number}/transitions", new { transition, fields });

    protected async Task<JsonElement> MoveAsync(string number, string transition, object? fields = null, string user = "engineer") =>
        await IncidentApi.ExpectAsync(await TransitionAsync(number, transition, fields, user), HttpStatusCode.OK);

    /// <summary>Raises a normal change, submits it and has the change manager request authorisation: its approvals are asked.</summary>
    protected async Task<string> InAuthorizeAsync(IEnumerable<long> cis, string user = "engineer", string? implementer = null)
    {
        var number = await RaiseNormalAsync(cis, user, implementer);
        await MoveAsync(number, "submit-for-assessment", user: user);
        var moved = await MoveAsync(number, "request-authorization", user: "changemanager");
        Assert.That(moved.Text("state"), Is.EqualTo("authorize"), moved.ToString());
        return number;
    }

    protected async Task<JsonElement> ApprovalsAsync(string number, string user = "changemanager") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/changes/{number}/approvals"), HttpStatusCode.OK);

    /// <summary>The approvals of a change as "approver name:state", in the order the API lists them.</summary>
    protected async Task<IReadOnlyList<string>> ApprovalStatesAsync(string number) =>
        (await ApprovalsAsync(number)).GetProperty("approvals").EnumerateArray().Select(a => $"{a.Text("approverName")}:{a.Text("state")}").ToList();

    /// <summary>The id of the approval asked of <paramref name="approverName"/> (a group's or a person's name) in the latest round.</summary>
    protected async Task<Guid> ApprovalIdAsync(string number, string approverName)
    {
        var approvals = await ApprovalsAsync(number);
        var round = approvals.GetProperty("round").GetInt32();
        return approvals.GetProperty("approvals").EnumerateArray()
            .Single(a => a.Text("approverName") == approverName && a.GetProperty("round").GetInt32() == round)
            .GetProperty("id").GetGuid();
    }

    protected Task<HttpResponseMessage> DecideAsync(string number, Guid approval, string user, string decision = "approve", string? comment = null) =>
        App.Api(user).PostAsJsonAsync($"/api/v1/changes/{number}/approvals/{approval}/decision", new { decision, comment });

    protected async Task<JsonElement> HistoryAsync(string number, string user = "changemanager") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/changes/{number}/history"), HttpStatusCode.OK);

    /// <summary>The history's lines about approvals, oldest first.</summary>
    protected async Task<IReadOnlyList<string>> ApprovalHistoryAsync(string number) =>
        (await HistoryAsync(number)).EnumerateArray().Where(h => h.Text("field") == "approvals").Select(h => h.TextOrNull("newValue") ?? "").ToList();

    protected async Task<int> ChangeTotalAsync() =>
        (await IncidentApi.ExpectAsync(await ChangeManager.GetAsync("/api/v1/changes?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();

    protected CmdbTestGraph Graph() => new(App, Marker());

    /// <summary>A CI owned by <paramref name="ownerGroup"/>.</summary>
    protected static Dictionary<string, object?> Owned(string ownerGroup, int? criticality = null)
    {
        var extra = new Dictionary<string, object?> { ["ownerGroup"] = ownerGroup };
        if (criticality is { } c) extra["criticality"] = c;
        return extra;
    }
}
