using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.Application.Common;
using Itsm.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>An HTTP answer read once: status, media type, raw text and (when it is JSON) the parsed body.</summary>
public sealed record Reply(int Status, string? MediaType, string Text, HttpResponseMessage Response)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement.Clone();

    public bool IsProblem => MediaType == "application/problem+json";

    public override string ToString() => $"{Status} {MediaType}: {(Text.Length > 400 ? Text[..400] + "…" : Text)}";
}

/// <summary>What an incident looks like from outside, to prove that a refused request changed nothing.</summary>
public sealed record IncidentState(int Total, string? ETag, int Version, int History, int Comments);

/// <summary>Raw HTTP helpers for the security tests: bodies are sent byte for byte, never re-serialised.</summary>
public static partial class SecurityApi
{
    /// <summary>A browser session: signs in through the login form (with its anti-forgery token) and keeps the cookie.</summary>
    public static async Task<HttpClient> SignInBrowserAsync(this ItsmApp app, string userName)
    {
        var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await browser.GetStringAsync("/Account/Login");
        var antiforgery = AntiforgeryField().Match(login);
        Assert.That(antiforgery.Success, Is.True, "the login form carries an anti-forgery token");
        var signIn = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.UserName"] = userName, ["Input.Password"] = ItsmApp.Password,
            ["__RequestVerificationToken"] = System.Net.WebUtility.HtmlDecode(antiforgery.Groups[1].Value),
        }));
        Assert.That((int)signIn.StatusCode, Is.EqualTo(302), await signIn.Content.ReadAsStringAsync());
        Assert.That(signIn.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("itsm.auth=", StringComparison.Ordinal)),
            Is.True, "signing in sets the auth cookie");
        return browser;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, string? body,
        string? contentType = "application/json", Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }
        configure?.Invoke(request);
        return await client.SendRawAsync(request);
    }

    public static async Task<Reply> SendRawAsync(this HttpClient client, HttpRequestMessage request)
    {
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, response);
    }

    /// <summary>A problem document's status and members, without the per-request trace id: equal for equal answers.</summary>
    public static string ProblemShape(Reply reply) =>
        $"{reply.Status} " + string.Join(", ", reply.Json.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));

    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Issues a new personal token (a fresh one, not the cached one of <see cref="ItsmApp.Api"/>).</summary>
    public static async Task<string> IssueTokenAsync(this ItsmApp app, string userName, string password = ItsmApp.Password)
    {
        var reply = await app.Api(null).SendAsync(HttpMethod.Post, "/api/v1/auth/token",
            JsonSerializer.Serialize(new { userName, password }));
        Assert.That(reply.Status, Is.EqualTo(200), $"token for {userName}: {reply}");
        return reply.Json.GetProperty("token").GetString()!;
    }

    /// <summary>Logs an incident and returns its number; fails the test unless it is created.</summary>
    public static async Task<string> LogIncidentAsync(this ItsmApp app, string user, object body)
    {
        var response = await app.Api(user).PostAsJsonAsync("/api/v1/incidents", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(201), $"log incident as {user}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("number").GetString()!;
    }

    public static async Task<string> UserIdAsync(this ItsmApp app, string userName)
    {
        using var scope = app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<IUserDirectory>().FindAsync(userName, CancellationToken.None);
        Assert.That(user, Is.Not.Null, $"user {userName}");
        return user!.Id;
    }

    public static async Task<int> IncidentTotalAsync(this ItsmApp app)
    {
        var reply = await app.Api("admin").SendAsync(HttpMethod.Get, "/api/v1/incidents?pageSize=1", null);
        Assert.That(reply.Status, Is.EqualTo(200), reply.ToString());
        return reply.Json.GetProperty("total").GetInt32();
    }

    /// <summary>The incident as the admin sees it: total count, ETag, version, history and worklog length.</summary>
    public static async Task<IncidentState> StateAsync(this ItsmApp app, string? number)
    {
        var total = await app.IncidentTotalAsync();
        if (number is null) return new IncidentState(total, null, 0, 0, 0);
        var admin = app.Api("admin");
        var incident = await admin.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{number}", null);
        var history = await admin.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{number}/history", null);
        var comments = await admin.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{number}/comments", null);
        Assert.That(new[] { incident.Status, history.Status, comments.Status }, Is.All.EqualTo(200), $"read {number}: {incident}");
        return new IncidentState(total, incident.Response.Headers.ETag?.Tag, incident.Json.GetProperty("version").GetInt32(),
            history.Json.GetArrayLength(), comments.Json.GetArrayLength());
    }
}
