using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Itsm.Application.Common;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Incidents;

/// <summary>One app (and database) per fixture and provider; the helpers the incident API tests share.</summary>
public abstract class IncidentApiFixture(DbProvider provider)
{
    private readonly Dictionary<string, string> _userIds = [];
    protected ItsmApp App { get; private set; } = null!;

    [OneTimeSetUp]
    public void StartApp() => App = new ItsmApp(provider);

    [OneTimeTearDown]
    public void StopApp() => App.Dispose();

    /// <summary>A word no other incident contains, to find this test's incidents with the text filter.</summary>
    protected static string Marker() => "zq" + Guid.NewGuid().ToString("N")[..10];

    protected async Task<string> UserIdAsync(string userName)
    {
        if (_userIds.TryGetValue(userName, out var id)) return id;
        using var scope = App.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(userName, CancellationToken.None);
        Assert.That(user, Is.Not.Null, $"demo user {userName}");
        return _userIds[userName] = user!.Id;
    }

    protected async Task<Guid> GroupIdAsync(string name)
    {
        var groups = await App.Api("agent").GetFromJsonAsync<JsonElement>("/api/v1/assignment-groups");
        return groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();
    }

    /// <summary>Logs an incident as <paramref name="user"/>; fails the test unless it is created.</summary>
    protected async Task<JsonElement> LogAsync(string user, object body)
    {
        var response = await App.Api(user).PostAsJsonAsync("/api/v1/incidents", body);
        return await IncidentApi.ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>Logs an incident as the agent and assigns it to the Service Desk and the agent.</summary>
    protected async Task<JsonElement> LogAssignedAsync(string shortDescription, string caller = "agent")
    {
        var incident = await LogAsync(caller, new { shortDescription, impact = 2, urgency = 2 });
        var number = incident.Number();
        var patch = await App.Api("agent").PatchJsonAsync(number, new
        {
            assignmentGroupId = await GroupIdAsync("Service Desk"),
            assigneeId = await UserIdAsync("agent"),
        });
        return await IncidentApi.ExpectAsync(patch, HttpStatusCode.OK);
    }

    protected async Task<JsonElement> GetAsync(string user, string number)
    {
        var response = await App.Api(user).GetAsync($"/api/v1/incidents/{number}");
        return await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
    }

    protected async Task<JsonElement> ResolveAsync(string number, string code = "solved-permanently", string notes = "Restarted the service.")
    {
        var response = await App.Api("agent").TransitionAsync(number, "resolve", new { resolutionCode = code, resolutionNotes = notes });
        return await IncidentApi.ExpectAsync(response, HttpStatusCode.OK);
    }
}

public static class IncidentApi
{
    public static string Number(this JsonElement incident) => incident.GetProperty("number").GetString()!;
    public static string Text(this JsonElement e, string property) => e.GetProperty(property).GetString()!;
    public static string? TextOrNull(this JsonElement e, string property) => e.GetProperty(property).GetString();

    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The field names of a 400 validation problem's <c>errors</c>.</summary>
    public static async Task<IReadOnlyList<string>> FieldErrorsAsync(HttpResponseMessage response)
    {
        var problem = await ExpectAsync(response, HttpStatusCode.BadRequest);
        return problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
    }

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string number, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/incidents/{number}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> TransitionAsync(this HttpClient client, string number, string transition, object? fields = null) =>
        client.PostAsJsonAsync($"/api/v1/incidents/{number}/transitions", new { transition, fields });

    public static Task<HttpResponseMessage> CommentAsync(this HttpClient client, string number, string text, bool workNote = false) =>
        client.PostAsJsonAsync($"/api/v1/incidents/{number}/comments", new { text, workNote });

    /// <summary>The incidents a list query returns, as numbers, in order, with the total.</summary>
    public static async Task<(IReadOnlyList<string> Numbers, int Total, JsonElement Page)> ListAsync(this HttpClient client, string query)
    {
        var page = await ExpectAsync(await client.GetAsync("/api/v1/incidents?" + query), HttpStatusCode.OK);
        var numbers = page.GetProperty("items").EnumerateArray().Select(i => i.Number()).ToList();
        return (numbers, page.GetProperty("total").GetInt32(), page);
    }
}
