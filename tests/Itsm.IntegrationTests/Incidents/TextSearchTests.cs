using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>The queue's text filter: case-insensitive, and the user's % and _ are plain characters, not wildcards.</summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class TextSearchTests(DbProvider provider)
{
    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task ListIncidents_WhenTextHasWildcardCharacters_MatchesThemLiterally()
    {
        var marker = "ts" + Guid.NewGuid().ToString("N")[..8];
        var agent = _app.Api("agent");
        var percent = await Log(agent, $"Disk 100% full {marker}");
        await Log(agent, $"Disk 1000 full {marker}");
        var underscore = await Log(agent, $"Share a_b missing {marker}");
        await Log(agent, $"Share axb missing {marker}");

        Assert.That(await Find(agent, $"100% FULL {marker}"), Is.EqualTo(new[] { percent }));
        Assert.That(await Find(agent, $"a_b missing {marker}"), Is.EqualTo(new[] { underscore }));
        Assert.That(await Find(agent, percent), Is.EqualTo(new[] { percent }), "a ticket number finds that ticket");
    }

    private static async Task<string> Log(HttpClient client, string text)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new { shortDescription = text });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!;
    }

    private static async Task<string[]> Find(HttpClient client, string text)
    {
        var page = await client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?text=" + Uri.EscapeDataString(text));
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToArray();
    }
}
