using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Itsm.Domain.Identity;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Sign-in and API tokens: wrong passwords, lockout, revocation (past the principal cache), garbage and expired
/// tokens, tokens stored only as hashes, and no password or token in the logs. Every test uses its own fresh account.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class AccountSecurityTests(DbProvider provider)
{
    private const string TokenPath = "/api/v1/auth/token";
    private ItsmApp _app = null!;

    [OneTimeSetUp] public void Start() => _app = new ItsmApp(provider);
    [OneTimeTearDown] public void Stop() => _app.Dispose();

    [Test]
    public async Task IssueToken_WhenPasswordIsWrong_Returns401ProblemWithoutToken()
    {
        var (user, _) = await NewUserAsync();
        var reply = await PostTokenAsync(user, "Not-the-password-1");
        Assert.That(reply.Status, Is.EqualTo(401), reply.ToString());
        Assert.That(reply.IsProblem, Is.True, reply.ToString());
        Assert.That(reply.Json.GetProperty("title").GetString(), Is.EqualTo("Sign-in failed."));
        Assert.That(reply.Json.TryGetProperty("token", out _), Is.False);
    }

    [Test]
    public async Task IssueToken_WhenUserIsUnknown_AnswersExactlyLikeWrongPassword()
    {
        var (user, _) = await NewUserAsync();
        var wrongPassword = await PostTokenAsync(user, "Not-the-password-1");
        var unknownUser = await PostTokenAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "Not-the-password-1");
        string Shape(Reply r) => $"{r.Status} {r.Json.GetProperty("title").GetString()} {r.Json.GetProperty("detail").GetString()}";
        Assert.That(Shape(unknownUser), Is.EqualTo(Shape(wrongPassword)), "the answer must not tell which user names exist");
    }

    [Test]
    public async Task IssueToken_WhenFiveAttemptsFailed_LocksAccountEvenForRightPasswordWithTheSameAnswerAndItsTokens()
    {
        var (user, password) = await NewUserAsync();
        var earlierToken = await _app.IssueTokenAsync(user, password); // issued before the lockout, never used (not cached)
        var answers = new List<Reply>();
        for (var i = 0; i < 5; i++) answers.Add(await PostTokenAsync(user, $"Wrong-password-{i}x"));
        var sixth = await PostTokenAsync(user, password);

        Assert.That(answers.Select(a => a.Status), Is.All.EqualTo(401));
        Assert.That(answers.Select(a => a.Json.GetProperty("title").GetString()), Is.All.EqualTo("Sign-in failed."));
        Assert.That(sixth.Status, Is.EqualTo(401), sixth.ToString());
        Assert.That(sixth.IsProblem, Is.True);
        // A locked account is answered like a wrong password, so the answer does not confirm that the account exists.
        Assert.That(SecurityApi.ProblemShape(sixth), Is.EqualTo(SecurityApi.ProblemShape(answers[0])), "the lockout is not announced");
        Assert.That(sixth.Json.TryGetProperty("token", out _), Is.False);
        var withEarlierToken = await _app.Api(null).WithBearer(earlierToken).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        Assert.That(withEarlierToken.Status, Is.EqualTo(401), "a locked account's existing tokens stop working");
        var someoneElse = await _app.Api("requester").SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        Assert.That(someoneElse.Status, Is.EqualTo(200), "the lockout is per account");
    }

    [Test]
    public async Task RevokeToken_WhenTokenWasUsedAndCached_IsRefusedRightAfterwards()
    {
        var (user, password) = await NewUserAsync();
        var token = await _app.IssueTokenAsync(user, password);
        var sibling = await _app.IssueTokenAsync(user, password);
        var client = _app.Api(null).WithBearer(token);

        var before = await client.SendAsync(HttpMethod.Get, "/api/v1/incidents", null); // now cached for 30 s
        var revoke = await client.SendAsync(HttpMethod.Delete, TokenPath, null);
        var after = await client.SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        var revokeAgain = await client.SendAsync(HttpMethod.Delete, TokenPath, null);
        var siblingAfter = await _app.Api(null).WithBearer(sibling).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);

        Assert.That(before.Status, Is.EqualTo(200), before.ToString());
        Assert.That(revoke.Status, Is.EqualTo(204), revoke.ToString());
        Assert.That(after.Status, Is.EqualTo(401), "a revoked token is refused at once, cache or not");
        Assert.That(after.IsProblem, Is.True);
        Assert.That(revokeAgain.Status, Is.EqualTo(401));
        Assert.That(siblingAfter.Status, Is.EqualTo(200), "revoking one token leaves the user's other tokens alone");
        using var scope = _app.Services.CreateScope();
        var row = await scope.ServiceProvider.GetRequiredService<ItsmDbContext>().ApiTokens.SingleAsync(t => t.TokenHash == Sha256Hex(token));
        Assert.That(row.RevokedAt, Is.Not.Null);
    }

    [TestCase("garbage")]
    [TestCase("empty")]
    [TestCase("well-formed but unknown")]
    [TestCase("over 200 characters")]
    [TestCase("SQL")]
    [TestCase("real token with one character changed")]
    [TestCase("real token's stored hash")]
    [TestCase("real token with a suffix")]
    public async Task Api_WhenBearerTokenIsGarbage_Returns401Problem(string kind)
    {
        var (user, password) = await NewUserAsync();
        var real = await _app.IssueTokenAsync(user, password);
        var token = kind switch
        {
            "garbage" => "garbage",
            "empty" => "",
            "well-formed but unknown" => "itsm_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            "over 200 characters" => new string('a', 300),
            "SQL" => "' OR '1'='1",
            "real token with one character changed" => real[..^1] + (real[^1] == 'A' ? 'B' : 'A'),
            "real token's stored hash" => Sha256Hex(real),
            _ => real + "x",
        };
        var client = _app.Api(null);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);

        var reply = await client.SendAsync(HttpMethod.Get, "/api/v1/incidents", null);

        Assert.That(reply.Status, Is.EqualTo(401), reply.ToString());
        Assert.That(reply.IsProblem, Is.True, reply.ToString());
        Assert.That(reply.Response.Headers.WwwAuthenticate.Select(h => h.Scheme), Does.Contain("Bearer"));
        var control = await _app.Api(null).WithBearer(real).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        Assert.That(control.Status, Is.EqualTo(200), "the real token works, so the 401 is about the garbage");
    }

    [Test]
    public async Task Api_WhenTokenHasExpired_Returns401()
    {
        var (user, _) = await NewUserAsync();
        var userId = await _app.UserIdAsync(user);
        var expired = "itsm_expired_" + Guid.NewGuid().ToString("N");
        var valid = "itsm_valid_" + Guid.NewGuid().ToString("N");
        using (var scope = _app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
            var now = _app.Clock.UtcNow;
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = userId, Name = "expired", TokenHash = Sha256Hex(expired), CreatedAt = now.AddDays(-31), ExpiresAt = now.AddMinutes(-1) });
            db.ApiTokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = userId, Name = "valid", TokenHash = Sha256Hex(valid), CreatedAt = now, ExpiresAt = now.AddDays(1) });
            await db.SaveChangesAsync();
        }

        var withExpired = await _app.Api(null).WithBearer(expired).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
        var withValid = await _app.Api(null).WithBearer(valid).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);

        Assert.That(withExpired.Status, Is.EqualTo(401), withExpired.ToString());
        Assert.That(withValid.Status, Is.EqualTo(200), "a row made the same way but not expired works");
    }

    [Test]
    public async Task IssueToken_WhenIssued_StoresOnlyItsSha256Hash()
    {
        var (user, password) = await NewUserAsync();
        var first = await _app.IssueTokenAsync(user, password);
        var second = await _app.IssueTokenAsync(user, password);
        var userId = await _app.UserIdAsync(user);

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(first, Does.StartWith("itsm_").And.Length.GreaterThanOrEqualTo(40), "at least 32 random bytes");
        using var scope = _app.Services.CreateScope();
        var rows = await scope.ServiceProvider.GetRequiredService<ItsmDbContext>().ApiTokens.AsNoTracking().ToListAsync();
        var mine = rows.Where(r => r.UserId == userId).Select(r => r.TokenHash).ToList();
        Assert.That(mine, Is.EquivalentTo(new[] { Sha256Hex(first), Sha256Hex(second) }));
        foreach (var token in new[] { first, second })
            Assert.That(rows.Where(r => r.TokenHash.Contains(token) || r.Name.Contains(token) || r.Id.ToString().Contains(token)), Is.Empty);
        if (provider == DbProvider.Sqlite)
        {
            // Nothing anywhere in the database files (tables, indexes, WAL) holds the token.
            var dir = Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_app.Database.ConnectionString).DataSource)!;
            foreach (var file in Directory.GetFiles(dir))
            {
                var bytes = await ReadSharedAsync(file);
                Assert.That(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(first)), Is.EqualTo(-1), $"{file} holds a plain token");
            }
        }
    }

    [Test]
    public async Task Logs_WhenSigningInAndUsingTokens_NeverContainPasswordsOrTokens()
    {
        var logDir = Path.Combine(Path.GetTempPath(), "itsm-tests", "seclogs-" + Guid.NewGuid().ToString("N")[..8]);
        var (user, password) = await NewUserAsync();
        var wrong = "Wrong-canary-" + Guid.NewGuid().ToString("N")[..12];
        var console = new StringWriter();
        var original = Console.Out;
        string token;
        Console.SetOut(console);
        try
        {
            using (var verbose = _app.WithWebHostBuilder(b =>
                   {
                       b.UseSetting("Logging:Directory", logDir);
                       b.UseSetting("Logging:LogLevel:Default", "Trace");
                       b.UseSetting("Serilog:MinimumLevel", "Verbose");
                       b.UseSetting("Serilog:MinimumLevel:Default", "Verbose");
                       b.UseSetting("Serilog:MinimumLevel:Override:Microsoft", "Verbose");
                       b.UseSetting("Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore", "Verbose");
                   }))
            {
                var api = verbose.CreateClient();
                var bad = await api.SendAsync(HttpMethod.Post, TokenPath, JsonSerializer.Serialize(new { userName = user, password = wrong }));
                var good = await api.SendAsync(HttpMethod.Post, TokenPath, JsonSerializer.Serialize(new { userName = user, password }));
                Assert.That((bad.Status, good.Status), Is.EqualTo((401, 200)), $"{bad} / {good}");
                token = good.Json.GetProperty("token").GetString()!;
                var used = await verbose.CreateClient().WithBearer(token).SendAsync(HttpMethod.Get, "/api/v1/incidents", null);
                Assert.That(used.Status, Is.EqualTo(200));
                var form = await verbose.CreateClient().PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
                    { ["Input.UserName"] = user, ["Input.Password"] = wrong }));
                Assert.That((int)form.StatusCode, Is.LessThan(500));
            } // disposing the host flushes the loggers
        }
        finally
        {
            Console.SetOut(original);
        }

        var files = Directory.Exists(logDir) ? Directory.GetFiles(logDir) : [];
        var fileText = string.Concat(await Task.WhenAll(files.Select(async f => Encoding.UTF8.GetString(await ReadSharedAsync(f)))));
        Assert.That(fileText, Does.Contain(TokenPath), "the JSON log captured the requests (else this test proves nothing)");
        Assert.That(console.ToString(), Does.Contain(TokenPath), "the console log captured the requests");
        foreach (var (name, text) in new[] { ("JSON log file", fileText), ("console", console.ToString()) })
        {
            Assert.That(text, Does.Not.Contain(password), $"{name} holds the password");
            Assert.That(text, Does.Not.Contain(wrong), $"{name} holds a wrong password attempt");
            Assert.That(text, Does.Not.Contain(token), $"{name} holds an API token");
        }
        try { Directory.Delete(logDir, recursive: true); } catch (IOException) { /* temp */ }
    }

    // ---- helpers ----

    private async Task<(string User, string Password)> NewUserAsync()
    {
        var name = "sec-" + Guid.NewGuid().ToString("N")[..10];
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..16];
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ItsmUser>>();
        var user = new ItsmUser { UserName = name, DisplayName = "Security " + name };
        var created = await users.CreateAsync(user, password);
        Assert.That(created.Succeeded, Is.True, string.Join("; ", created.Errors.Select(e => e.Description)));
        var role = await users.AddToRoleAsync(user, Roles.Requester);
        Assert.That(role.Succeeded, Is.True, string.Join("; ", role.Errors.Select(e => e.Description)));
        return (name, password);
    }

    private Task<Reply> PostTokenAsync(string userName, string password) =>
        _app.Api(null).SendAsync(HttpMethod.Post, TokenPath, JsonSerializer.Serialize(new { userName, password }));

    private static string Sha256Hex(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
