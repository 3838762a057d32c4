using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>POST, GET and the list of /api/v1/incidents: filters, sorting, paging, and who sees what.</summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class IncidentQueryApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private string _marker = "";
    private string _p1ByRequester = "", _p4Assigned = "", _p3OnHold = "";

    /// <summary>Three incidents under one marker: P1 by the requester (email → Application Support, unassigned),
    /// P4 by the agent (network → Network Operations, assigned to the agent), P3 by the agent on hold.</summary>
    [OneTimeSetUp]
    public async Task LogThreeIncidents()
    {
        _marker = Marker();
        _p1ByRequester = (await LogAsync("requester", new { shortDescription = $"Outlook {_marker} crashes", impact = 1, urgency = 1, category = "email" })).Number();
        _p4Assigned = (await LogAsync("agent", new
        {
            shortDescription = $"Wi-Fi {_marker} slow in room 4",
            impact = 3, urgency = 3, category = "network",
            assigneeId = await UserIdAsync("agent"),
        })).Number();
        _p3OnHold = (await LogAsync("agent", new { shortDescription = $"Badge reader {_marker} beeps", impact = 2, urgency = 2 })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(_p3OnHold, "put-on-hold", new { holdReason = "awaiting-vendor" }), HttpStatusCode.OK);
    }

    private Task<(IReadOnlyList<string> Numbers, int Total, JsonElement Page)> List(string user, string query) =>
        App.Api(user).ListAsync($"text={_marker}&{query}");

    [Test]
    public async Task LogIncident_WhenRequesterPostsValidBody_Returns201WithLocationETagAndDefaults()
    {
        var response = await App.Api("requester").PostAsJsonAsync("/api/v1/incidents",
            new { shortDescription = "  Laptop will not boot  ", description = "Black screen after the logo." });

        var body = await IncidentApi.ExpectAsync(response, HttpStatusCode.Created);
        var number = body.Number();
        Assert.That(number, Does.Match("^INC[0-9]{7}$"));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/api/v1/incidents/{number}"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{body.GetProperty("version").GetInt32()}\""));
        Assert.That(body.Text("shortDescription"), Is.EqualTo("Laptop will not boot"));
        Assert.That(body.Text("state"), Is.EqualTo("new"));
        Assert.That(body.Text("stateLabel"), Is.EqualTo("New"));
        Assert.That((body.GetProperty("impact").GetInt32(), body.GetProperty("urgency").GetInt32(), body.GetProperty("priority").GetInt32()), Is.EqualTo((3, 3, 4)));
        Assert.That(body.Text("requesterName"), Is.EqualTo("Rita Requester"));
        Assert.That(body.TextOrNull("assigneeId"), Is.Null);
    }

    [Test]
    public async Task LogIncident_WhenFieldsInvalid_Returns400WithEveryFieldErrorAndCreatesNothing()
    {
        var marker = Marker();
        var response = await App.Api("agent").PostAsJsonAsync("/api/v1/incidents",
            new { shortDescription = $"{marker}", impact = 7, urgency = "high", categry = "email" });

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EquivalentTo(new[] { "impact", "urgency", "categry" }));
        Assert.That((await App.Api("agent").ListAsync($"text={marker}")).Total, Is.Zero);
    }

    [Test]
    public async Task LogIncident_WhenAssigneeGivenWithoutAnyGroup_Returns400OnAssigneeAndCreatesNothing()
    {
        var marker = Marker();

        var response = await App.Api("agent").PostAsJsonAsync("/api/v1/incidents",
            new { shortDescription = $"Kiosk {marker} frozen", assigneeId = await UserIdAsync("agent") });

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Has.Some.StartsWith("assignee"));
        Assert.That((await App.Api("agent").ListAsync($"text={marker}")).Total, Is.Zero);
    }

    [Test]
    public async Task LogIncident_WhenAssigneeGivenByUserName_AssignsThatMemberAsPatchDoes()
    {
        var body = await LogAsync("agent", new { shortDescription = "Switch port dead", category = "network", assigneeId = "agent" });

        Assert.That(body.TextOrNull("assigneeId"), Is.EqualTo(await UserIdAsync("agent")));
        Assert.That(body.TextOrNull("assigneeName"), Is.EqualTo("Adam Agent"));
    }

    [Test]
    public async Task GetIncident_WhenAgentReadsRequestersIncident_ReturnsItWithETagOfItsVersion()
    {
        var response = await App.Api("agent").GetAsync($"/api/v1/incidents/{_p1ByRequester.ToLowerInvariant()}");

        var body = await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
        Assert.That(body.Number(), Is.EqualTo(_p1ByRequester));
        Assert.That(body.GetProperty("priority").GetInt32(), Is.EqualTo(1));
        Assert.That(body.Text("assignmentGroupName"), Is.EqualTo("Application Support"));
        Assert.That(response.Headers.ETag?.Tag, Is.EqualTo($"\"{body.GetProperty("version").GetInt32()}\""));
    }

    [Test]
    public async Task GetIncident_WhenNumberUnknown_Returns404()
    {
        var response = await App.Api("agent").GetAsync("/api/v1/incidents/INC9999999");

        await IncidentApi.ExpectAsync(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task GetIncident_WhenRequesterAsksForSomeoneElsesIncident_Returns404OnEveryReadEndpoint()
    {
        var client = App.Api("requester");

        foreach (var path in new[] { "", "/comments", "/history", "/transitions" })
            await IncidentApi.ExpectAsync(await client.GetAsync($"/api/v1/incidents/{_p4Assigned}{path}"), HttpStatusCode.NotFound);
        await IncidentApi.ExpectAsync(await client.CommentAsync(_p4Assigned, "Me too!"), HttpStatusCode.NotFound);
        await IncidentApi.ExpectAsync(await client.GetAsync($"/api/v1/incidents/{_p1ByRequester}"), HttpStatusCode.OK);
    }

    [Test]
    public async Task ListIncidents_WhenRequesterLists_SeesOnlyOwnIncidents()
    {
        var (numbers, total, _) = await List("requester", "");

        Assert.That(numbers, Is.EqualTo(new[] { _p1ByRequester }));
        Assert.That(total, Is.EqualTo(1));
    }

    [Test]
    public async Task ListIncidents_WhenTextMatches_FindsByWordCaseInsensitivelyAndByExactNumber()
    {
        Assert.That((await App.Api("agent").ListAsync($"text={_marker.ToUpperInvariant()}")).Numbers,
            Is.EquivalentTo(new[] { _p1ByRequester, _p4Assigned, _p3OnHold }));
        Assert.That((await App.Api("agent").ListAsync($"text={_p4Assigned.ToLowerInvariant()}")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
        Assert.That((await App.Api("agent").ListAsync($"text=Wi-Fi%20{_marker}")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
    }

    [Test]
    public async Task ListIncidents_WhenFilteredByState_ReturnsOnlyThatState()
    {
        Assert.That((await List("agent", "state=on-hold")).Numbers, Is.EqualTo(new[] { _p3OnHold }));
        Assert.That((await List("agent", "state=new")).Numbers, Is.EquivalentTo(new[] { _p1ByRequester, _p4Assigned }));
        Assert.That((await List("agent", "state=new,on-hold")).Total, Is.EqualTo(3));
        Assert.That((await List("agent", "state=resolved")).Total, Is.Zero);
    }

    [Test]
    public async Task ListIncidents_WhenFilteredByPriority_ReturnsOnlyThosePriorities()
    {
        Assert.That((await List("agent", "priority=1")).Numbers, Is.EqualTo(new[] { _p1ByRequester }));
        Assert.That((await List("agent", "priority=1,4")).Numbers, Is.EquivalentTo(new[] { _p1ByRequester, _p4Assigned }));
        Assert.That((await List("agent", "priority=2")).Total, Is.Zero);
    }

    [Test]
    public async Task ListIncidents_WhenFilteredByAssignmentGroup_ReturnsOnlyThatGroupsIncidents()
    {
        var network = await GroupIdAsync("Network Operations");
        var apps = await GroupIdAsync("Application Support");

        Assert.That((await List("agent", $"assignmentGroupId={network}")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
        Assert.That((await List("agent", $"assignmentGroupId={apps}")).Numbers, Is.EqualTo(new[] { _p1ByRequester }));
    }

    [Test]
    public async Task ListIncidents_WhenFilteredByAssignee_MeAndNoneAndUserIdWork()
    {
        Assert.That((await List("agent", "assignee=me")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
        Assert.That((await List("admin", "assignee=me")).Total, Is.Zero);
        Assert.That((await List("agent", "assignee=none")).Numbers, Is.EquivalentTo(new[] { _p1ByRequester, _p3OnHold }));
        Assert.That((await List("admin", $"assignee={await UserIdAsync("agent")}")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
    }

    [Test]
    public async Task ListIncidents_WhenFilteredByRequester_MeAndUserIdWork()
    {
        Assert.That((await List("agent", "requester=me")).Numbers, Is.EquivalentTo(new[] { _p4Assigned, _p3OnHold }));
        Assert.That((await List("agent", $"requester={await UserIdAsync("requester")}")).Numbers, Is.EqualTo(new[] { _p1ByRequester }));
        Assert.That((await List("requester", "requester=me")).Numbers, Is.EqualTo(new[] { _p1ByRequester }));
    }

    [Test]
    public async Task ListIncidents_WhenFiltersCombine_AppliesAllOfThem()
    {
        Assert.That((await List("agent", "state=new&priority=4&assignee=me&requester=me")).Numbers, Is.EqualTo(new[] { _p4Assigned }));
        Assert.That((await List("agent", "state=on-hold&assignee=me")).Total, Is.Zero);
    }

    [Test]
    public async Task ListIncidents_WhenSortedByPriority_OrdersAscendingOrDescending()
    {
        Assert.That((await List("agent", "sort=priority")).Numbers, Is.EqualTo(new[] { _p1ByRequester, _p3OnHold, _p4Assigned }));
        Assert.That((await List("agent", "sort=-priority")).Numbers, Is.EqualTo(new[] { _p4Assigned, _p3OnHold, _p1ByRequester }));
    }

    [Test]
    public async Task ListIncidents_WhenSortedByNumber_OrdersByNumber()
    {
        var logged = new[] { _p1ByRequester, _p4Assigned, _p3OnHold };

        Assert.That((await List("agent", "sort=number")).Numbers, Is.EqualTo(logged.Order(StringComparer.Ordinal)));
        Assert.That((await List("agent", "sort=-number")).Numbers, Is.EqualTo(logged.OrderDescending(StringComparer.Ordinal)));
    }

    [Test]
    public async Task ListIncidents_WhenPaged_ReturnsDisjointPagesWithTheTotal()
    {
        var first = await List("agent", "sort=number&pageSize=2&page=1");
        var second = await List("agent", "sort=number&pageSize=2&page=2");
        var beyond = await List("agent", "sort=number&pageSize=2&page=3");

        Assert.That(first.Numbers, Has.Count.EqualTo(2));
        Assert.That(second.Numbers, Has.Count.EqualTo(1));
        Assert.That(beyond.Numbers, Is.Empty);
        Assert.That(first.Numbers.Concat(second.Numbers), Is.EqualTo(new[] { _p1ByRequester, _p4Assigned, _p3OnHold }.Order(StringComparer.Ordinal)));
        foreach (var page in new[] { first, second, beyond })
        {
            Assert.That(page.Total, Is.EqualTo(3));
            Assert.That(page.Page.GetProperty("pageSize").GetInt32(), Is.EqualTo(2));
            Assert.That(page.Page.GetProperty("pageCount").GetInt32(), Is.EqualTo(2));
        }
        Assert.That(second.Page.GetProperty("page").GetInt32(), Is.EqualTo(2));
    }

    [TestCase("page=abc", "page")]
    [TestCase("pageSize=1000", "pageSize")]
    [TestCase("priority=9", "priority")]
    [TestCase("state=pending", "state")]
    [TestCase("sort=colour", "sort")]
    [TestCase("colour=red", "colour")]
    [TestCase("assignmentGroupId=not-a-guid", "assignmentGroupId")]
    public async Task ListIncidents_WhenQueryInvalid_Returns400NamingTheParameter(string query, string field)
    {
        var response = await App.Api("agent").GetAsync("/api/v1/incidents?" + query);

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Does.Contain(field));
    }

    [Test]
    public async Task ListIncidents_WhenNotSignedIn_Returns401()
    {
        var response = await App.Api(null).GetAsync("/api/v1/incidents");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
