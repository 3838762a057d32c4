using System.Net;
using System.Text.Json;
using Itsm.Domain.Changes.Scheduling;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Changes;

/// <summary>
/// A change's assessment over the API, computed from the CMDB graph and the change windows: the risk level with the
/// rules that gave points, the conflicts (another change on the same CI or a CI one relationship away, the implementer
/// booked elsewhere, a CI's maintenance window left, a blackout), and the approvers the policy would ask with why.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ChangeAssessmentApiTests(DbProvider provider) : ChangeApiFixture(provider)
{
    private async Task<JsonElement> GetAsync(string number, string what, string user = "cabmember") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/changes/{number}/{what}"), HttpStatusCode.OK);

    private static IReadOnlyList<(string Kind, string? Ci, string? Change, string? Window)> Kinds(JsonElement conflicts) =>
        conflicts.EnumerateArray().Select(c => (c.Text("kind"), c.TextOrNull("ciName"), c.TextOrNull("otherChangeNumber"), c.TextOrNull("windowId"))).ToList();

    [Test]
    public async Task GetRisk_WithACriticality1ServiceInTheBlastRadius_IsHighAndNamesTheService()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");
        var shop = await g.CiAsync("business-service", "Shop", Owned("Service Desk", criticality: 1));
        await g.LinkAsync(shop, "depends-on", cart);
        var number = await RaiseNormalAsync([cart]);

        var risk = await GetAsync(number, "risk", user: "agent");

        Assert.That((risk.Text("level"), risk.Text("label"), risk.Text("computedLevel")), Is.EqualTo(("high", "High", "high")));
        var reasons = risk.GetProperty("reasons").EnumerateArray().ToDictionary(r => r.Text("rule"));
        Assert.That(reasons["impacted-services"].Text("text"), Is.EqualTo($"1 business service impacted: {g.Name("Shop")} (criticality 1)"));
        Assert.That(reasons["impacted-services"].GetProperty("points").GetInt32(), Is.EqualTo(25));
        Assert.That(reasons["change-type"].GetProperty("points").GetInt32(), Is.EqualTo(5));
        Assert.That(risk.GetProperty("score").GetInt32(), Is.EqualTo(reasons.Values.Sum(r => r.GetProperty("points").GetInt32())));
        Assert.That((await ChangeAsync(number)).Text("risk"), Is.EqualTo("high"), "the change records the level it was assessed at");
    }

    [Test]
    public async Task GetRisk_WhenTheQuestionnaireSaysUntested_RaisesTheLevelAndSaysWhy()
    {
        var g = Graph();
        var body = NormalBody([await g.CiAsync("application-component", "cart")]);
        var number = (await RaiseAsync(body)).Number();
        Assert.That((await GetAsync(number, "risk")).Text("level"), Is.EqualTo("low"));

        await IncidentApi.ExpectAsync(await Engineer.PatchAsync($"/api/v1/changes/{number}",
            JsonContent("""{"riskAnswers":{"tested-in-staging":"no","backout-tested":"yes"}}""")), HttpStatusCode.OK);
        var risk = await GetAsync(number, "risk");

        Assert.That((risk.Text("level"), risk.Text("computedLevel")), Is.EqualTo(("high", "low")));
        Assert.That(risk.GetProperty("reasons").EnumerateArray().Select(r => r.Text("rule")), Does.Contain("questionnaire:tested-in-staging"));
        var change = await ChangeAsync(number);
        Assert.That(change.Text("risk"), Is.EqualTo("high"));
        Assert.That(change.GetProperty("riskAnswers").GetProperty("tested-in-staging").GetString(), Is.EqualTo("no"));
    }

    [Test]
    public async Task GetConflicts_NamesChangesOnTheSameCiAndOnACiOneHopAway_AndTheBusyImplementer()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");
        var cartDb = await g.CiAsync("application-component", "cart-db");
        var storage = await g.CiAsync("application-component", "storage");
        var elsewhere = await g.CiAsync("application-component", "elsewhere");
        await g.LinkAsync(cart, "depends-on", cartDb);
        await g.LinkAsync(cartDb, "depends-on", storage);
        var window = Slot(TimeSpan.FromHours(2));
        async Task<string> Submitted(long ci, string implementer, bool submit = true)
        {
            var n = (await RaiseAsync(NormalBody([ci], implementer, window))).Number();
            if (submit) await MoveAsync(n, "submit-for-assessment");
            return n;
        }
        var sameCi = await Submitted(cart, "tom.baker");
        var related = await Submitted(cartDb, "changemanager");
        var twoHops = await Submitted(storage, "admin");
        var busy = await Submitted(elsewhere, "engineer");
        await Submitted(cart, "admin", submit: false); // still New: not on the calendar

        var number = (await RaiseAsync(NormalBody([cart], "engineer", (window.Start.AddMinutes(30), window.End.AddMinutes(30))))).Number();
        var conflicts = await GetAsync(number, "conflicts");

        Assert.That(Kinds(conflicts), Is.EquivalentTo(new (string, string?, string?, string?)[]
        {
            ("same-ci", g.Name("cart"), sameCi, null),
            ("related-ci", g.Name("cart"), related, null),
            ("implementer-busy", null, busy, null),
        }), conflicts.ToString());
        Assert.That(conflicts.EnumerateArray().Select(c => c.Text("text")), Has.Some.Contains(g.Name("cart-db")), "the related CI is named");
        Assert.That(conflicts.EnumerateArray().Select(c => c.Text("otherChangeNumber")), Does.Not.Contain(twoHops), "two hops away is not related");
        Assert.That(conflicts.EnumerateArray().Single(c => c.Text("kind") == "implementer-busy").Text("text"), Does.Contain("Erik Engineer"));
        Assert.That((await ChangeAsync(number)).GetProperty("conflictCount").GetInt32(), Is.EqualTo(3));
        var risk = await GetAsync(number, "risk");
        Assert.That(risk.GetProperty("reasons").EnumerateArray().Single(r => r.Text("rule") == "conflicts").GetProperty("points").GetInt32(), Is.EqualTo(15));

        var later = Slot();
        var moved = await IncidentApi.ExpectAsync(await Engineer.PatchAsync($"/api/v1/changes/{number}",
            JsonContent(JsonSerializer.Serialize(new { plannedStart = later.Start, plannedEnd = later.End }))), HttpStatusCode.OK);
        Assert.That(moved.GetProperty("conflictCount").GetInt32(), Is.Zero, "moved to a free window, nothing collides");
        Assert.That((await GetAsync(number, "conflicts")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task GetConflicts_OutsideAServersMaintenanceWindow_NamesTheWindow_AndInsideItNothing()
    {
        var g = Graph();
        var server = await g.CiAsync("server", "db-host");
        var windows = App.Services.GetRequiredService<ChangeWindows>();
        (DateTimeOffset Start, DateTimeOffset End) inside, outside;
        do
        {
            inside = WindowedSlot("server", TimeSpan.FromHours(2));
            outside = (inside.Start.AddHours(-12), inside.End.AddHours(-12)); // mid-morning: outside the weekend nights
        } while (windows.Blackouts.Any(b => b.Overlaps(outside.Start, outside.End)));

        var outsideChange = (await RaiseAsync(NormalBody([server], window: outside))).Number();
        var insideChange = (await RaiseAsync(NormalBody([server], window: inside))).Number();

        var conflicts = await GetAsync(outsideChange, "conflicts");
        Assert.That(Kinds(conflicts), Is.EqualTo(new (string, string?, string?, string?)[] { ("outside-maintenance-window", g.Name("db-host"), null, "weekend-nights") }));
        Assert.That(conflicts[0].Text("text"), Does.Contain("Weekend nights"));
        Assert.That((await GetAsync(outsideChange, "risk")).GetProperty("reasons").EnumerateArray().Select(r => r.Text("rule")), Does.Contain("outside-maintenance-window"));
        Assert.That((await GetAsync(insideChange, "conflicts")).GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task GetConflicts_InAGlobalBlackout_NamesTheBlackout()
    {
        var blackout = App.Services.GetRequiredService<ChangeWindows>().Blackouts.First(b => b.Scope == BlackoutScope.Global);
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart");

        var number = (await RaiseAsync(NormalBody([cart], implementer: "admin", window: (blackout.Start.AddHours(1), blackout.Start.AddHours(2))))).Number();

        var conflicts = await GetAsync(number, "conflicts");
        Assert.That(Kinds(conflicts), Is.EqualTo(new (string, string?, string?, string?)[] { ("blackout", null, null, blackout.Id) }), conflicts.ToString());
        Assert.That(conflicts[0].Text("text"), Does.Contain(blackout.Label));
        var reasons = (await GetAsync(number, "risk")).GetProperty("reasons").EnumerateArray().ToDictionary(r => r.Text("rule"));
        Assert.That(reasons["blackout"].GetProperty("points").GetInt32(), Is.EqualTo(20));
    }

    [Test]
    public async Task GetAssessment_ListsTheApproversThePolicyPicksWithWhy()
    {
        var g = Graph();
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var api = await g.CiAsync("application-component", "api", Owned("Network Operations"));
        var number = await RaiseNormalAsync([cart, api]);

        var assessment = await GetAsync(number, "assessment");

        var stages = assessment.GetProperty("approvers").GetProperty("stages").EnumerateArray().ToList();
        Assert.That(stages.Select(s => s.Text("name")), Is.EqualTo(new[] { "Owner approval" }));
        var set = stages[0].GetProperty("sets").EnumerateArray().Single();
        Assert.That((set.Text("key"), set.Text("rule")), Is.EqualTo(("ci-owners", "all")));
        Assert.That(set.GetProperty("approvers").EnumerateArray().Select(a => (a.Text("kind"), a.Text("name"), a.Text("why"))),
            Is.EqualTo(new[] { ("group", "Network Operations", $"owns {g.Name("api")}, {g.Name("cart")}") }), "one group for both CIs it owns");
        Assert.That(assessment.GetProperty("approvers").GetProperty("explanation").EnumerateArray().Select(e => e.GetString()),
            Has.Some.StartsWith("Decision 'normal' matches (the type is Normal)"));
        Assert.That((assessment.GetProperty("risk").Text("level"), assessment.GetProperty("conflicts").GetArrayLength()), Is.EqualTo(("low", 0)));
        Assert.That(assessment.GetProperty("blastRadius").GetProperty("start").EnumerateArray().Select(c => c.Text("name")),
            Is.EquivalentTo(new[] { g.Name("cart"), g.Name("api") }));
    }

    [Test]
    public async Task GetAssessment_WhenNoCiHasAnOwnerGroup_FallsBackToChangeManagementAndSaysSo()
    {
        var g = Graph();
        var number = await RaiseNormalAsync([await g.CiAsync("application-component", "orphan")]);

        var approver = (await GetAsync(number, "assessment")).GetProperty("approvers").GetProperty("stages")[0].GetProperty("sets")[0].GetProperty("approvers").EnumerateArray().Single();

        Assert.That((approver.Text("name"), approver.Text("why")),
            Is.EqualTo(("Change Management", "fallback: none of the affected CIs has a known owner group, so Change Management approves instead")));
        await MoveAsync(number, "submit-for-assessment");
        await MoveAsync(number, "request-authorization", user: "changemanager");
        Assert.That(await ApprovalStatesAsync(number), Is.EqualTo(new[] { "Change Management:requested" }));
    }

    [Test]
    public async Task GetAssessment_OfAChangeOnARestrictedCi_AnswersEveryone_AndNamesTheCiOnlyToThoseWhoMaySeeIt()
    {
        var g = Graph();
        var secret = await g.CiAsync("database", "payroll-db", new Dictionary<string, object?>
        {
            ["restricted"] = true, ["ownerGroup"] = "Database Administration", ["attributes"] = new Dictionary<string, string> { ["engine"] = "PostgreSQL" },
        });
        var cart = await g.CiAsync("application-component", "cart", Owned("Network Operations"));
        var number = await RaiseNormalAsync([secret, cart]);

        // The CAB member is in neither of the restricted CI's groups: the assessment still answers, without its name.
        var seen = await GetAsync(number, "assessment");
        Assert.That(seen.ToString(), Does.Not.Contain(g.Name("payroll-db")));
        Assert.That(seen.GetProperty("blastRadius").GetProperty("start").EnumerateArray().Select(c => c.Text("name")),
            Is.EquivalentTo(new[] { g.Name("cart"), "Restricted CI" }));
        Assert.That((await GetAsync(number, "risk")).ToString() + await GetAsync(number, "conflicts"), Does.Not.Contain(g.Name("payroll-db")));
        // The engineer is in Database Administration and sees it by name.
        Assert.That((await GetAsync(number, "assessment", user: "engineer")).ToString(), Does.Contain(g.Name("payroll-db")));

        // The approvals asked and their history, computed for no one in particular, never name it either. The engineer raised
        // the change and is Database Administration's only member, so the fallback group stands in for it.
        await MoveAsync(number, "submit-for-assessment");
        await MoveAsync(number, "request-authorization", user: "changemanager");
        var approvals = await ApprovalsAsync(number, user: "cabmember");
        Assert.That(approvals.GetProperty("approvals").EnumerateArray().Select(a => a.Text("approverName")),
            Is.EquivalentTo(new[] { "Change Management", "Network Operations" }));
        Assert.That(approvals.ToString() + await HistoryAsync(number, user: "cabmember"), Does.Not.Contain(g.Name("payroll-db")));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
