using System.Net;
using System.Net.Http.Json;
using System.Text;
using Itsm.Domain.Tickets;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>Optimistic concurrency (ETag / If-Match), no lost updates, idempotent creation and gap-free numbering.</summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class IncidentConcurrencyApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private static readonly string[] Editors = ["agent", "admin", "problemmanager", "engineer"];

    private async Task<(string Number, string ETag)> LogWithETagAsync(string shortDescription)
    {
        var response = await App.Api("agent").PostAsJsonAsync("/api/v1/incidents", new { shortDescription });
        var body = await IncidentApi.ExpectAsync(response, HttpStatusCode.Created);
        return (body.Number(), response.Headers.ETag!.Tag);
    }

    [Test]
    public async Task UpdateIncident_WhenIfMatchIsCurrent_Returns200WithNewETagAndChange()
    {
        var (number, etag) = await LogWithETagAsync("Scanner offline");

        var response = await App.Api("agent").PatchJsonAsync(number, new { urgency = 1 }, etag);

        var body = await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
        var newETag = response.Headers.ETag?.Tag;
        Assert.That(newETag, Is.Not.Null.And.Not.EqualTo(etag));
        Assert.That(newETag, Is.EqualTo($"\"{body.GetProperty("version").GetInt32()}\""));
        Assert.That(body.GetProperty("urgency").GetInt32(), Is.EqualTo(1));
        var reread = await App.Api("agent").GetAsync($"/api/v1/incidents/{number}");
        Assert.That(reread.Headers.ETag?.Tag, Is.EqualTo(newETag));
    }

    [Test]
    public async Task UpdateIncident_WhenIfMatchIsWeakETag_IsAccepted()
    {
        var (number, etag) = await LogWithETagAsync("Scanner offline");

        var response = await App.Api("agent").PatchJsonAsync(number, new { impact = 1 }, "W/" + etag);

        await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
    }

    [Test]
    public async Task UpdateIncident_WhenIfMatchIsStale_Returns412AndChangesNothing()
    {
        var (number, etag) = await LogWithETagAsync("Projector flickers");
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { impact = 2 }, etag), HttpStatusCode.OK);

        var response = await App.Api("admin").PatchJsonAsync(number, new { shortDescription = "Stale edit" }, etag);

        await IncidentApi.ExpectAsync(response, HttpStatusCode.PreconditionFailed);
        var now = await GetAsync("agent", number);
        Assert.That(now.Text("shortDescription"), Is.EqualTo("Projector flickers"));
        Assert.That(now.GetProperty("impact").GetInt32(), Is.EqualTo(2));
    }

    [TestCase("abc")]
    [TestCase("\"three\"")]
    [TestCase("-1")]
    public async Task UpdateIncident_WhenIfMatchMalformed_Returns400NamingIfMatch(string ifMatch)
    {
        var (number, _) = await LogWithETagAsync("Projector flickers");

        var response = await App.Api("agent").PatchJsonAsync(number, new { impact = 1 }, ifMatch);

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EqualTo(new[] { "If-Match" }));
        Assert.That((await GetAsync("agent", number)).GetProperty("impact").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task TransitionIncident_WhenIfMatchIsStale_Returns412AndStaysInState()
    {
        var (number, etag) = await LogWithETagAsync("Docking station dead");
        await IncidentApi.ExpectAsync(await App.Api("agent").PatchJsonAsync(number, new { urgency = 2 }, etag), HttpStatusCode.OK);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/incidents/{number}/transitions")
        {
            Content = JsonContent.Create(new { transition = "put-on-hold", fields = new { holdReason = "awaiting-vendor" } }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var response = await App.Api("agent").SendAsync(request);

        await IncidentApi.ExpectAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.That((await GetAsync("agent", number)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task UpdateIncident_WhenSeveralAgentsEditConcurrentlyFromSameETag_ExactlyOneWinsAndNoUpdateIsLost()
    {
        var clients = Editors.Select(App.Api).ToList();
        var (number, etag) = await LogWithETagAsync("Shared drive full");
        for (var round = 0; round < 5; round++)
        {
            var texts = Editors.Select(e => $"Shared drive full, round {round}, by {e}").ToList();
            var responses = await Task.WhenAll(clients.Select((c, i) => c.PatchJsonAsync(number, new { shortDescription = texts[i] }, etag)));

            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), $"round {round}: {string.Join(", ", statuses)}");
            Assert.That(statuses.Count(s => s == HttpStatusCode.PreconditionFailed), Is.EqualTo(Editors.Length - 1), $"round {round}");
            var winner = statuses.IndexOf(HttpStatusCode.OK);
            var current = await App.Api("agent").GetAsync($"/api/v1/incidents/{number}");
            var body = await IncidentApi.ExpectAsync(current, HttpStatusCode.OK);
            Assert.That(body.Text("shortDescription"), Is.EqualTo(texts[winner]), $"round {round}");
            Assert.That(current.Headers.ETag!.Tag, Is.EqualTo(responses[winner].Headers.ETag!.Tag));
            etag = current.Headers.ETag!.Tag;
        }
        var history = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/incidents/{number}/history"), HttpStatusCode.OK);
        Assert.That(history.EnumerateArray().Count(h => h.Text("field") == "shortDescription"), Is.EqualTo(1 + 5),
            "the opening value and one winning change per round; the losers left no history");
    }

    [Test]
    public async Task LogIncident_WhenSameIdempotencyKeyAndBodyTwice_ReturnsSameIncidentAndCreatesOne()
    {
        var marker = Marker();
        var body = $$"""{"shortDescription":"Monitor {{marker}} black","impact":2}""";

        var first = await PostRawAsync("agent", body, marker);
        var second = await PostRawAsync("agent", body, marker);

        var a = await IncidentApi.ExpectAsync(first, HttpStatusCode.Created);
        var b = await IncidentApi.ExpectAsync(second, HttpStatusCode.Created);
        Assert.That(b.Number(), Is.EqualTo(a.Number()));
        Assert.That((await App.Api("agent").ListAsync($"text={marker}")).Total, Is.EqualTo(1));
    }

    [Test]
    public async Task LogIncident_WhenSameIdempotencyKeyWithDifferentBody_Returns422AndCreatesNothingMore()
    {
        var marker = Marker();
        await IncidentApi.ExpectAsync(await PostRawAsync("agent", $$"""{"shortDescription":"Mouse {{marker}} dead"}""", marker), HttpStatusCode.Created);

        var response = await PostRawAsync("agent", $$"""{"shortDescription":"Keyboard {{marker}} dead"}""", marker);

        await IncidentApi.ExpectAsync(response, (HttpStatusCode)422);
        Assert.That((await App.Api("agent").ListAsync($"text={marker}")).Numbers, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task LogIncident_WhenSameIdempotencyKeyFromAnotherUser_CreatesTheirOwnIncident()
    {
        var marker = Marker();
        var body = $$"""{"shortDescription":"Headset {{marker}} crackles"}""";

        var mine = await IncidentApi.ExpectAsync(await PostRawAsync("agent", body, marker), HttpStatusCode.Created);
        var theirs = await IncidentApi.ExpectAsync(await PostRawAsync("requester", body, marker), HttpStatusCode.Created);

        Assert.That(theirs.Number(), Is.Not.EqualTo(mine.Number()));
        Assert.That(theirs.Text("requesterName"), Is.EqualTo("Rita Requester"));
    }

    [Test]
    public async Task LogIncident_WhenSameIdempotencyKeyRetriedConcurrently_CreatesOneIncidentAndAnswersAllWithIt()
    {
        var marker = Marker();
        var body = $$"""{"shortDescription":"Phone {{marker}} reboots"}""";
        var client = App.Api("agent");

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostRawAsync(client, body, marker)));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.That(statuses, Is.All.EqualTo(201), string.Join(", ", statuses));
        var numbers = new List<string>();
        foreach (var r in responses) numbers.Add((await IncidentApi.ExpectAsync(r, HttpStatusCode.Created)).Number());
        Assert.That(numbers.Distinct().Count(), Is.EqualTo(1));
        Assert.That((await App.Api("agent").ListAsync($"text={marker}")).Total, Is.EqualTo(1));
    }

    [Test]
    public async Task LogIncident_When40PostedConcurrently_Gets40ConsecutiveDistinctNumbers()
    {
        var marker = Marker();
        var clients = new[] { App.Api("agent"), App.Api("requester"), App.Api("admin"), App.Api("engineer") };

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            clients[i % clients.Length].PostAsJsonAsync("/api/v1/incidents", new { shortDescription = $"Load {marker} #{i}" })));

        var numbers = new List<string>();
        foreach (var r in responses) numbers.Add((await IncidentApi.ExpectAsync(r, HttpStatusCode.Created)).Number());
        Assert.That(numbers, Is.Unique);
        var sequences = numbers.Select(n => TicketNumber.TryParse(n, out var t) ? t.Sequence : -1).Order().ToList();
        Assert.That(sequences, Has.None.EqualTo(-1));
        Assert.That(sequences, Is.EqualTo(Enumerable.Range(0, 40).Select(i => sequences[0] + i)), "consecutive, no gaps, no duplicates");
        Assert.That((await App.Api("agent").ListAsync($"text={marker}&pageSize=100")).Total, Is.EqualTo(40));
    }

    private Task<HttpResponseMessage> PostRawAsync(string user, string json, string key) => PostRawAsync(App.Api(user), json, key);

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient client, string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/incidents") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
