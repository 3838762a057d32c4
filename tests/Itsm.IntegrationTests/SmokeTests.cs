using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests;

[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class SmokeTests(DbProvider provider)
{
    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task LogIncident_WhenAgentPostsValidBody_Returns201WithNumberAndPriority()
    {
        var response = await _app.Api("agent").PostAsJsonAsync("/api/v1/incidents",
            new { shortDescription = "Mail server unreachable", impact = 1, urgency = 2, category = "email" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("number").GetString(), Does.Match("^INC[0-9]{7}$"));
        Assert.That(body.GetProperty("priority").GetInt32(), Is.EqualTo(2));
        Assert.That(body.GetProperty("assignmentGroupName").GetString(), Is.EqualTo("Application Support"));
    }
}
