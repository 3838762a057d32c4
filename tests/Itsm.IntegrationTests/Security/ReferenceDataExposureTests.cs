using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Reference data seen by a requester: the portal needs a group's id and name, never who is in it, their user names,
/// ids or roles. Fulfillers keep the member lists their assignment pickers need.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ReferenceDataExposureTests(DbProvider provider)
{
    private const string Path = "/api/v1/assignment-groups";
    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task ListAssignmentGroups_WhenRequesterAsks_ReturnsOnlyIdNameAndDescription()
    {
        var reply = await _app.Api("requester").SendAsync(HttpMethod.Get, Path, null);

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        var groups = reply.Json.EnumerateArray().ToList();
        Assert.That(groups.Select(g => g.GetProperty("name").GetString()), Does.Contain("Service Desk"), "the requester still sees the groups");
        foreach (var group in groups)
            Assert.That(group.EnumerateObject().Select(p => p.Name), Is.SubsetOf(new[] { "id", "name", "description" }), group.ToString());
        var agentId = await _app.UserIdAsync("agent");
        Assert.That(reply.Text, Does.Not.Contain(agentId), "no member's id");
        Assert.That(reply.Text, Does.Not.Contain("\"agent\""), "no member's user name");
        Assert.That(reply.Text, Does.Not.Contain("Agent"), "no roles");
    }

    [TestCase("agent")]
    [TestCase("engineer")]
    [TestCase("admin")]
    public async Task ListAssignmentGroups_WhenFulfillerAsks_ReturnsMembersWithTheirRoles(string fulfiller)
    {
        var reply = await _app.Api(fulfiller).SendAsync(HttpMethod.Get, Path, null);

        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        var serviceDesk = reply.Json.EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Service Desk");
        var members = serviceDesk.GetProperty("members").EnumerateArray().ToList();
        var agent = members.Single(m => m.GetProperty("userName").GetString() == "agent");
        Assert.That(agent.GetProperty("id").GetString(), Is.EqualTo(await _app.UserIdAsync("agent")));
        Assert.That(agent.GetProperty("roles").EnumerateArray().Select(r => r.GetString()), Does.Contain("Agent"));
        Assert.That(agent.GetProperty("roles").ValueKind, Is.EqualTo(JsonValueKind.Array));
    }
}
