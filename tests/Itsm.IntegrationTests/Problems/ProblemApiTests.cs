using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Problems;

/// <summary>
/// Problem management through the API, on the generic ticket core: raising a problem from an incident, root cause and
/// workaround, known errors, the fix resuming waiting incidents, resolving linked incidents in one step, and the
/// core's conventions (paging, ETag / If-Match, Idempotency-Key, transitions, comments, history) on a second kind.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class ProblemApiTests(DbProvider provider) : IncidentApiFixture(provider)
{
    private HttpClient Pm => App.Api("problemmanager");

    private async Task<JsonElement> RaiseAsync(string user, object body) =>
        await IncidentApi.ExpectAsync(await App.Api(user).PostAsJsonAsync("/api/v1/problems", body), HttpStatusCode.Created);

    private async Task<JsonElement> ProblemAsync(string number, string user = "problemmanager") =>
        await IncidentApi.ExpectAsync(await App.Api(user).GetAsync($"/api/v1/problems/{number}"), HttpStatusCode.OK);

    private async Task<JsonElement> MoveAsync(string number, string transition, object? fields = null) =>
        await IncidentApi.ExpectAsync(await Pm.PostAsJsonAsync($"/api/v1/problems/{number}/transitions", new { transition, fields }), HttpStatusCode.OK);

    private async Task<JsonElement> PutAsync(string path, object body) =>
        await IncidentApi.ExpectAsync(await Pm.PutAsJsonAsync(path, body), HttpStatusCode.OK);

    [Test]
    public async Task LogProblem_FromAnIncident_TakesItsDescriptionAndLinksIt()
    {
        var incident = (await LogAsync("requester", new { shortDescription = "Printer on floor 2 offline", description = "Since this morning", impact = 2, urgency = 2 })).Number();

        var problem = await RaiseAsync("agent", new { incidentNumber = incident.ToLowerInvariant() });

        Assert.That(problem.Number(), Does.Match("^PRB[0-9]{7}$"));
        Assert.That((problem.Text("shortDescription"), problem.Text("description"), problem.Text("state"), problem.GetProperty("impact").GetInt32()),
            Is.EqualTo(("Printer on floor 2 offline", "Since this morning", "new", 2)));
        Assert.That(problem.GetProperty("incidents").EnumerateArray().Select(i => i.Number()), Is.EqualTo(new[] { incident }));
        var linked = await GetAsync("agent", incident);
        Assert.That(linked.GetProperty("problem").Text("number"), Is.EqualTo(problem.Number()));
        var history = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/incidents/{incident}/history"), HttpStatusCode.OK);
        Assert.That(history.EnumerateArray().Select(h => (h.Text("field"), h.TextOrNull("newValue"))), Does.Contain(("problem", (string?)problem.Number())));
    }

    [Test]
    public async Task LogProblem_FromAnIncidentThatDoesNotExist_Returns400AndCreatesNothing()
    {
        var before = (await IncidentApi.ExpectAsync(await Pm.GetAsync("/api/v1/problems?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();

        var response = await Pm.PostAsJsonAsync("/api/v1/problems", new { incidentNumber = "INC9999999" });

        Assert.That(await IncidentApi.FieldErrorsAsync(response), Is.EqualTo(new[] { "incidentNumber" }));
        var after = (await IncidentApi.ExpectAsync(await Pm.GetAsync("/api/v1/problems?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();
        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public async Task RootCauseAndKnownError_WhenRecordedAndPublished_AreFoundByTheKnownErrorSearch()
    {
        var marker = Marker();
        var number = (await RaiseAsync("problemmanager", new { shortDescription = $"VPN drops {marker}" })).Number();
        var refused = await IncidentApi.ExpectAsync(await Pm.PostAsync($"/api/v1/problems/{number}/known-error", null), HttpStatusCode.Conflict);
        Assert.That(refused.Text("rule"), Is.EqualTo("known-error-incomplete"));

        await PutAsync($"/api/v1/problems/{number}/root-cause", new { rootCause = "MTU mismatch on the concentrator", workaround = $"Set MTU 1400 ({marker}-fix)" });
        var published = await IncidentApi.ExpectAsync(await Pm.PostAsync($"/api/v1/problems/{number}/known-error", null), HttpStatusCode.OK);

        Assert.That(published.GetProperty("isKnownError").GetBoolean(), Is.True);
        foreach (var text in new[] { marker, $"{marker}-FIX", "mtu mismatch" })
        {
            var found = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/known-errors?text={Uri.EscapeDataString(text)}"), HttpStatusCode.OK);
            Assert.That(found.GetProperty("items").EnumerateArray().Select(k => k.Number()), Does.Contain(number), $"search '{text}'");
        }
        var retracted = await IncidentApi.ExpectAsync(await Pm.DeleteAsync($"/api/v1/problems/{number}/known-error"), HttpStatusCode.OK);
        Assert.That(retracted.GetProperty("isKnownError").GetBoolean(), Is.False);
        var gone = await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/known-errors?text={marker}"), HttpStatusCode.OK);
        Assert.That(gone.GetProperty("total").GetInt32(), Is.Zero);
    }

    [Test]
    public async Task ResolveWithFixApplied_ResumesIncidentsAwaitingTheProblem_AndOffersToResolveTheRest()
    {
        var waiting = (await LogAssignedAsync("Outlook crashes on start")).Number();
        var open = (await LogAssignedAsync("Outlook crashes when opening calendar")).Number();
        var vendor = (await LogAssignedAsync("Outlook add-in fails")).Number();
        var problem = (await RaiseAsync("agent", new { incidentNumber = waiting })).Number();
        foreach (var n in new[] { open, vendor })
            await IncidentApi.ExpectAsync(await App.Api("agent").PostAsJsonAsync($"/api/v1/problems/{problem}/incidents", new { incident = n }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(waiting, "put-on-hold", new { holdReason = "awaiting-problem" }), HttpStatusCode.OK);
        await IncidentApi.ExpectAsync(await App.Api("agent").TransitionAsync(vendor, "put-on-hold", new { holdReason = "awaiting-vendor" }), HttpStatusCode.OK);

        await MoveAsync(problem, "assess");
        await MoveAsync(problem, "resolve", new { resolutionCode = "fix-applied", resolutionNotes = "Patched Outlook to 16.0.1." });

        Assert.That((await GetAsync("agent", waiting)).Text("state"), Is.EqualTo("in-progress"), "on hold for the problem: resumes");
        Assert.That((await GetAsync("agent", vendor)).Text("state"), Is.EqualTo("on-hold"), "on hold for something else: stays");
        var resolved = await IncidentApi.ExpectAsync(await App.Api("agent").PostAsJsonAsync($"/api/v1/problems/{problem}/resolve-incidents", new { }), HttpStatusCode.OK);
        Assert.That(resolved.GetProperty("resolved").EnumerateArray().Select(e => e.GetString()), Is.EquivalentTo(new[] { waiting, open, vendor }));
        var incident = await GetAsync("agent", open);
        Assert.That((incident.Text("state"), incident.Text("resolutionCode")), Is.EqualTo(("resolved", "solved-permanently")));
        Assert.That(incident.Text("resolutionNotes"), Does.Contain(problem));
    }

    [Test]
    public async Task ResolveLinkedIncidents_WhenTheProblemIsNotFixed_Returns409AndResolvesNothing()
    {
        var incident = (await LogAssignedAsync("Disk full on file server")).Number();
        var problem = (await RaiseAsync("agent", new { incidentNumber = incident })).Number();

        var refused = await IncidentApi.ExpectAsync(await App.Api("agent").PostAsJsonAsync($"/api/v1/problems/{problem}/resolve-incidents", new { }), HttpStatusCode.Conflict);

        Assert.That(refused.Text("rule"), Is.EqualTo("problem-not-fixed"));
        Assert.That((await GetAsync("agent", incident)).Text("state"), Is.EqualTo("new"));
    }

    [Test]
    public async Task StartFix_RecordsTheRootCauseAndRefusesAnotherTransitionsFields()
    {
        var number = (await RaiseAsync("problemmanager", new { shortDescription = "Backups fail nightly" })).Number();
        await IncidentApi.ExpectAsync(await Pm.PostAsync($"/api/v1/problems/{number}/take", null), HttpStatusCode.OK);
        await MoveAsync(number, "assess");
        await MoveAsync(number, "analyse-root-cause");

        var foreign = await Pm.PostAsJsonAsync($"/api/v1/problems/{number}/transitions",
            new { transition = "start-fix", fields = new { rootCause = "Tape drive firmware", resolutionCode = "fix-applied" } });
        Assert.That(await IncidentApi.FieldErrorsAsync(foreign), Is.EqualTo(new[] { "fields.resolutionCode" }));
        Assert.That((await ProblemAsync(number)).Text("state"), Is.EqualTo("root-cause-analysis"));

        var moved = await MoveAsync(number, "start-fix", new { rootCause = "Tape drive firmware", workaround = "Run the backup by hand" });
        Assert.That((moved.Text("state"), moved.Text("rootCause"), moved.Text("workaround")),
            Is.EqualTo(("fix-in-progress", "Tape drive firmware", "Run the backup by hand")));
    }

    [Test]
    public async Task ProblemEndpoints_WhenGivenAnIncidentNumber_Return404()
    {
        var incident = (await LogAsync("agent", new { shortDescription = "Not a problem" })).Number();

        foreach (var path in new[] { $"/api/v1/problems/{incident}", $"/api/v1/problems/{incident}/history", $"/api/v1/problems/{incident}/transitions" })
            await IncidentApi.ExpectAsync(await Pm.GetAsync(path), HttpStatusCode.NotFound);
        var problem = (await RaiseAsync("problemmanager", new { shortDescription = "A problem" })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").GetAsync($"/api/v1/incidents/{problem}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task UpdateProblem_WithAStaleETag_Returns412AndChangesNothing()
    {
        var created = await IncidentApi.ExpectAsync(await Pm.PostAsJsonAsync("/api/v1/problems", new { shortDescription = "Slow logons" }), HttpStatusCode.Created);
        var number = created.Number();
        var etag = $"\"{created.GetProperty("version").GetInt32()}\"";
        await IncidentApi.ExpectAsync(await Send(HttpMethod.Patch, number, new { urgency = 1 }, etag), HttpStatusCode.OK);

        var stale = await Send(HttpMethod.Patch, number, new { description = "Lost update" }, etag);

        Assert.That(stale.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That((await ProblemAsync(number)).TextOrNull("description"), Is.Null);
    }

    [Test]
    public async Task LogProblem_WithTheSameIdempotencyKey_CreatesOneProblem_AndAnotherBodyIsRefused()
    {
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> Post(object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/problems") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await Pm.SendAsync(request);
        }

        var first = await IncidentApi.ExpectAsync(await Post(new { shortDescription = "Idempotent problem" }), HttpStatusCode.Created);
        var again = await IncidentApi.ExpectAsync(await Post(new { shortDescription = "Idempotent problem" }), HttpStatusCode.Created);
        var other = await IncidentApi.ExpectAsync(await Post(new { shortDescription = "Another problem" }), (HttpStatusCode)422);

        Assert.That(again.Number(), Is.EqualTo(first.Number()));
        Assert.That(other.Text("title"), Is.EqualTo("Idempotency-Key reused."));
    }

    [Test]
    public async Task ListProblems_FiltersSortsAndPagesLikeIncidents()
    {
        var marker = Marker();
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
            numbers.Add((await RaiseAsync("problemmanager", new { shortDescription = $"{marker} problem {i}", impact = 3 - i % 2, urgency = 2 })).Number());

        var page = await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync($"/api/v1/problems?text={marker}&sort=number&pageSize=2"), HttpStatusCode.OK);

        Assert.That(page.GetProperty("total").GetInt32(), Is.EqualTo(3));
        Assert.That(page.GetProperty("items").EnumerateArray().Select(i => i.Number()), Is.EqualTo(numbers.Take(2)));
        await IncidentApi.FieldErrorsAsync(await App.Api("engineer").GetAsync("/api/v1/problems?state=on-hold"));
    }

    [Test]
    public async Task CommentOnProblem_AgentsCommentAndTheHistoryRecordsTheLifecycle()
    {
        var number = (await RaiseAsync("problemmanager", new { shortDescription = "Wi-Fi roaming drops calls" })).Number();
        await IncidentApi.ExpectAsync(await App.Api("agent").PostAsJsonAsync($"/api/v1/problems/{number}/comments", new { text = "Seen three more today", workNote = true }), HttpStatusCode.Created);
        await MoveAsync(number, "assess");

        var comments = await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync($"/api/v1/problems/{number}/comments"), HttpStatusCode.OK);
        var history = await IncidentApi.ExpectAsync(await App.Api("engineer").GetAsync($"/api/v1/problems/{number}/history"), HttpStatusCode.OK);

        Assert.That(comments.EnumerateArray().Select(c => c.Text("text")), Is.EqualTo(new[] { "Seen three more today" }));
        Assert.That(history.EnumerateArray().Select(h => (h.Text("field"), h.TextOrNull("newValue"))), Does.Contain(("state", (string?)"Assess")));
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string number, object body, string ifMatch)
    {
        var request = new HttpRequestMessage(method, $"/api/v1/problems/{number}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return Pm.SendAsync(request);
    }
}
