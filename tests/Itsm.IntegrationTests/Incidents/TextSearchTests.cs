using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>
/// The queue's text filter: a case-insensitive substring of the short description; the user's %, _ and \ are plain
/// characters, not wildcards. On PostgreSQL case folds by Unicode (ICU), whatever the database's locale, and the
/// trigram index answers texts of 3 characters or more; shorter ones scan. SQLite's LIKE folds ASCII only.
/// </summary>
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

    [Test]
    public async Task ListIncidents_WhenTextDiffersInCase_MatchesIt()
    {
        var marker = "tc" + Guid.NewGuid().ToString("N")[..8];
        var agent = _app.Api("agent");
        var jam = await Log(agent, $"Printer JAM on floor 4 {marker}");
        await Log(agent, $"Printer jams on floor 4 {marker}");

        Assert.That(await Find(agent, $"printer jam on FLOOR 4 {marker}"), Is.EqualTo(new[] { jam }));
        Assert.That(await Find(agent, $"JAM ON floor 4 {marker.ToUpperInvariant()}"), Is.EqualTo(new[] { jam }));
    }

    [Test]
    public async Task ListIncidents_WhenTextHasBackslashes_MatchesThemLiterally()
    {
        var marker = "tb" + Guid.NewGuid().ToString("N")[..8];
        var agent = _app.Api("agent");
        var share = await Log(agent, $@"Share \\fs01\%HOME% not mapped {marker}");
        await Log(agent, $"Share fs01 HOME not mapped {marker}");
        var percent = await Log(agent, $@"Share \fs01%HOME% not mapped {marker}");

        Assert.That(await Find(agent, $@"\\FS01\%home% not mapped {marker}"), Is.EqualTo(new[] { share }));
        Assert.That(await Find(agent, $@"fs01\%home% not mapped {marker}"), Is.EqualTo(new[] { share }),
            "a backslash is not an escape character for the user (else fs01%HOME% would match)");
        Assert.That(await Find(agent, $@"\fs01%home% not mapped {marker}"), Is.EqualTo(new[] { percent }));
        Assert.That(await Find(agent, @"\\fs01\"), Is.EqualTo(new[] { share }), "a trailing backslash");
    }

    [Test]
    public async Task ListIncidents_WhenTextIsShorterThanATrigram_StillMatchesExactly()
    {
        // No other incident here holds "~" or "%_" (the demo data does not either), so these totals are exact.
        var agent = _app.Api("agent");
        var x = await Log(agent, "Patch cable ~X loose");
        var y = await Log(agent, "Patch cable ~y loose");
        var quota = await Log(agent, "Mailbox quota at 90%_ again");
        await Log(agent, "Mailbox quota at 90% again");

        Assert.That(await Find(agent, "~"), Is.EquivalentTo(new[] { x, y }), "one character");
        Assert.That(await Find(agent, "~x"), Is.EqualTo(new[] { x }), "two characters, another case");
        Assert.That(await Find(agent, "~Y"), Is.EqualTo(new[] { y }));
        Assert.That(await Find(agent, "%_"), Is.EqualTo(new[] { quota }), "two characters, both wildcards to SQL");
    }

    [Test]
    public async Task ListIncidents_WhenTextDiffersInNonAsciiCase_MatchesItOnPostgres()
    {
        var marker = "tu" + Guid.NewGuid().ToString("N")[..8];
        var agent = _app.Api("agent");
        var drucker = await Log(agent, $"Drucker Ä im Flur {marker}");
        var umlauts = await Log(agent, $"Tastatur schreibt ÄÖÜ {marker}");
        await Log(agent, $"Drucker A im Flur {marker}");

        Assert.That(await Find(agent, $"Drucker Ä im Flur {marker}"), Is.EqualTo(new[] { drucker }), "the same case");
        Assert.That(await Find(agent, $"ÄÖÜ {marker}"), Is.EqualTo(new[] { umlauts }), "the same case");
        if (provider == DbProvider.Postgres)
        {
            Assert.That(await Find(agent, $"drucker ä im flur {marker}"), Is.EqualTo(new[] { drucker }));
            Assert.That(await Find(agent, $"DRUCKER Ä IM FLUR {marker}"), Is.EqualTo(new[] { drucker }));
            Assert.That(await Find(agent, "äöü"), Is.EqualTo(new[] { umlauts }), "no ASCII letter to make a trigram from");
        }
        else
        {
            // SQLite's LIKE ignores the case of ASCII letters only (documented in TextSearch and ADR 0005).
            Assert.That(await Find(agent, $"drucker ä im flur {marker}"), Is.Empty);
            Assert.That(await Find(agent, $"drucker Ä im flur {marker}"), Is.EqualTo(new[] { drucker }));
        }
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
        var numbers = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("number").GetString()!).ToArray();
        Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(numbers.Length), $"the total for '{text}' counts the same rows");
        return numbers;
    }
}
