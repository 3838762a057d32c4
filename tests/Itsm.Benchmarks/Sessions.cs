using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Benchmarks;

/// <summary>Signing in as the demo accounts: API tokens, and the cookie of the sign-in page.</summary>
public static partial class Sessions
{
    /// <summary>A new personal API token through POST /api/v1/auth/token (a password check: done before measuring).</summary>
    public static async Task<string> TokenAsync(Uri baseAddress, string userName)
    {
        using var client = LoadRunner.NewClient(baseAddress);
        using var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { userName, password = BenchApp.Password, name = "benchmark" });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/v1/auth/token for {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public static HttpClient ApiClient(Uri baseAddress, string token)
    {
        var client = LoadRunner.NewClient(baseAddress);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>
    /// Signs in through the /Account/Login form (its anti-forgery token and cookie included) and returns a client
    /// that carries the authentication cookie, or null and the reason when there is no such page yet.
    /// </summary>
    public static async Task<(HttpClient? Client, string Note)> PageClientAsync(Uri baseAddress, string userName)
    {
        var cookies = new CookieContainer();
        var client = LoadRunner.NewClient(baseAddress, cookies);
        using var get = await client.GetAsync("/Account/Login");
        var html = await get.Content.ReadAsStringAsync();
        var form = FormPattern().Matches(html).FirstOrDefault(m => m.Value.Contains("type=\"password\"", StringComparison.OrdinalIgnoreCase));
        if (get.StatusCode != HttpStatusCode.OK || form is null)
        {
            client.Dispose();
            return (null, $"GET /Account/Login answered {(int)get.StatusCode}{(get.StatusCode == HttpStatusCode.OK ? " without a sign-in form" : "")}: there is no sign-in page to use");
        }

        var fields = new Dictionary<string, string>();
        foreach (Match input in InputPattern().Matches(form.Value))
        {
            var name = Attribute(input.Value, "name");
            if (name is null) continue;
            var type = (Attribute(input.Value, "type") ?? "text").ToLowerInvariant();
            if (type == "password") fields[name] = BenchApp.Password;
            else if (type == "hidden") fields[name] = Attribute(input.Value, "value") ?? "";
            else if (type is "text" or "email" && UserFieldPattern().IsMatch(name)) fields[name] = userName;
        }
        var action = WebUtility.HtmlDecode(Attribute(FormTagPattern().Match(form.Value).Value, "action") ?? "/Account/Login");
        using var post = await client.PostAsync(action, new FormUrlEncodedContent(fields));
        var signedIn = cookies.GetAllCookies().Any(c => c.Name.Contains("auth", StringComparison.OrdinalIgnoreCase));
        if (post.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther) || !signedIn)
        {
            client.Dispose();
            return (null, $"signing in through the form answered {(int)post.StatusCode} without an authentication cookie");
        }
        return (client, $"signed in as {userName} through {action}");
    }

    private static string? Attribute(string tag, string name)
    {
        var m = Regex.Match(tag, $"\\b{name}\\s*=\\s*\"([^\"]*)\"", RegexOptions.IgnoreCase);
        return m.Success ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    [GeneratedRegex("<form\\b[^>]*method=\"post\"[^>]*>.*?</form>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<form\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormTagPattern();

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    [GeneratedRegex("user|login|email", RegexOptions.IgnoreCase)]
    private static partial Regex UserFieldPattern();

    /// <summary>The groups, categories, accounts and process the app made at start-up, read back from its database.</summary>
    public static async Task<DeskReference> ReadReferenceAsync(BenchApp app)
    {
        var (scope, db) = app.OpenDb();
        using (scope)
        {
            var groups = await db.AssignmentGroups.AsNoTracking().Include(g => g.Members).OrderBy(g => g.Name).ToListAsync();
            var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, c => c.DefaultGroupId);
            var users = await db.Users.AsNoTracking().ToListAsync();
            var roles = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               select new { ur.UserId, r.Name }).ToListAsync();
            var next = await TicketNumberGenerator.PeekAsync(db, TicketKind.Incident);
            return new DeskReference(
                groups.Select(g => (g.Id, g.Name, (IReadOnlyList<string>)g.Members.Select(m => m.UserId).ToList())).ToList(),
                categories,
                users.Select(u => (new Person(u.Id, u.UserName!, string.IsNullOrEmpty(u.DisplayName) ? u.UserName! : u.DisplayName),
                    (IReadOnlyList<string>)roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList())).ToList(),
                scope.ServiceProvider.GetRequiredService<IProcessCatalog>().For(TicketKind.Incident),
                next);
        }
    }
}
