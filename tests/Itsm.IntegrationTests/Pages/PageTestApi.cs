using System.Net.Http.Json;
using System.Text.Json;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Pages;

/// <summary>API helpers the page tests use to set the scene and to check what a post changed.</summary>
public static class PageTestApi
{
    /// <summary>Raises a problem through the API and returns its number; fails the test unless it is created.</summary>
    public static async Task<string> RaiseProblemAsync(this ItsmApp app, string user, object body)
    {
        var response = await app.Api(user).PostAsJsonAsync("/api/v1/problems", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), $"raise problem as {user}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
    }

    /// <summary>The problem's version with the number of incidents linked to it: any change moves one of them.</summary>
    public static async Task<(int Version, int Incidents)> ProblemVersionAsync(this ItsmApp app, string number)
    {
        var problem = await app.Api("admin").GetFromJsonAsync<JsonElement>($"/api/v1/problems/{number}");
        return (problem.GetProperty("version").GetInt32(), problem.GetProperty("incidents").GetArrayLength());
    }
}
