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

    /// <summary>Raises a change through the API and returns its number; fails the test unless it is created.</summary>
    public static async Task<string> RaiseChangeAsync(this ItsmApp app, string user, object body)
    {
        var response = await app.Api(user).PostAsJsonAsync("/api/v1/changes", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), $"raise change as {user}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
    }

    /// <summary>The change's version, state and number of affected CIs: any change to it moves one of them.</summary>
    public static async Task<(int Version, string State, int Cis)> ChangeVersionAsync(this ItsmApp app, string number)
    {
        var change = await app.Api("admin").GetFromJsonAsync<JsonElement>($"/api/v1/changes/{number}");
        var cis = await app.Api("admin").GetFromJsonAsync<JsonElement>($"/api/v1/changes/{number}/cis");
        return (change.GetProperty("version").GetInt32(), change.GetProperty("state").GetString()!, cis.GetProperty("affectedCis").GetArrayLength());
    }
}
