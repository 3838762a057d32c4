using System.Diagnostics;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Itsm.IntegrationTests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>
/// Two instances of the app on one database, each with its own principal cache (docs/decisions/0009): a token
/// revoked, a role taken away or a password changed on instance A takes effect on instance B within a second, although
/// B had the principal cached (for 30 s). A changed password also revokes the user's tokens.
/// </summary>
[TestFixture(DbProvider.Postgres)]
[TestFixture(DbProvider.Sqlite)]
public sealed class SecurityEventTests(DbProvider provider)
{
    private const string TokenPath = "/api/v1/auth/token";
    private const string Groups = "/api/v1/assignment-groups";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1.5);

    private ItsmApp _a = null!;
    private WebApplicationFactory<Program> _b = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _a = new ItsmApp(provider);
        _a.StartServer();
        _b = _a.WithWebHostBuilder(_ => { }); // a second host: its own singletons, principal cache and event listener
        _b.StartServer();
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Test]
    public async Task RevokeToken_WhenRevokedOnOneInstance_IsRefusedOnTheOtherWithinASecond()
    {
        var (user, password) = await NewUserAsync(Roles.Requester);
        var token = await _a.IssueTokenAsync(user, password);
        var onA = _a.CreateClient().WithBearer(token);
        var onB = _b.CreateClient().WithBearer(token);
        Assert.That((await onB.SendAsync(HttpMethod.Get, Groups, null)).Status, Is.EqualTo(200), "B has the principal cached now");

        var revoke = await onA.SendAsync(HttpMethod.Delete, TokenPath, null);
        var elapsed = await WaitUntilAsync(async () => (await onB.SendAsync(HttpMethod.Get, Groups, null)).Status == 401);

        Assert.That(revoke.Status, Is.EqualTo(204), revoke.ToString());
        Assert.That(elapsed, Is.Not.Null, $"the revoked token still worked on instance B {Within.TotalSeconds} s later");
        Assert.That((await onA.SendAsync(HttpMethod.Get, Groups, null)).Status, Is.EqualTo(401), "and on A");
    }

    [Test]
    public async Task ChangeRoles_WhenChangedOnOneInstance_TakeEffectOnTheOtherWithinASecond()
    {
        var (user, password) = await NewUserAsync(Roles.Agent);
        var onB = _b.CreateClient().WithBearer(await _a.IssueTokenAsync(user, password));
        var asAgent = await onB.SendAsync(HttpMethod.Get, Groups, null);
        Assert.That(asAgent.Text, Does.Contain("\"members\""), "an agent sees the members (and B has the principal cached)");

        await WithUsersAsync(_a, async users =>
        {
            var account = await users.FindByNameAsync(user);
            Assert.That((await users.RemoveFromRoleAsync(account!, Roles.Agent)).Succeeded, Is.True);
            Assert.That((await users.AddToRoleAsync(account!, Roles.Requester)).Succeeded, Is.True);
        });
        var elapsed = await WaitUntilAsync(async () => !(await onB.SendAsync(HttpMethod.Get, Groups, null)).Text.Contains("\"members\"", StringComparison.Ordinal));

        Assert.That(elapsed, Is.Not.Null, $"instance B still saw the old roles {Within.TotalSeconds} s later");
    }

    [TestCase("change")]
    [TestCase("reset")]
    public async Task ChangePassword_WhenChangedOnOneInstance_RevokesTheUsersTokensEverywhere(string how)
    {
        var (user, password) = await NewUserAsync(Roles.Requester);
        var first = await _a.IssueTokenAsync(user, password);
        var second = await _a.IssueTokenAsync(user, password);
        var onA = _a.CreateClient().WithBearer(first);
        var onB = _b.CreateClient().WithBearer(second);
        Assert.That(new[] { (await onA.SendAsync(HttpMethod.Get, Groups, null)).Status, (await onB.SendAsync(HttpMethod.Get, Groups, null)).Status },
            Is.All.EqualTo(200), "both tokens work and are cached");
        const string NewPassword = "Pw-changed-0123456789";

        await WithUsersAsync(_a, async users =>
        {
            var account = await users.FindByNameAsync(user);
            var changed = how == "change"
                ? await users.ChangePasswordAsync(account!, password, NewPassword)
                : await users.ResetPasswordAsync(account!, await users.GeneratePasswordResetTokenAsync(account!), NewPassword);
            Assert.That(changed.Succeeded, Is.True, string.Join("; ", changed.Errors.Select(e => e.Description)));
        });
        var refusedOnA = await WaitUntilAsync(async () => (await onA.SendAsync(HttpMethod.Get, Groups, null)).Status == 401);
        var refusedOnB = await WaitUntilAsync(async () => (await onB.SendAsync(HttpMethod.Get, Groups, null)).Status == 401);

        Assert.That(refusedOnA, Is.Not.Null, "the token used on A is refused after the password change");
        Assert.That(refusedOnB, Is.Not.Null, "the token used on B is refused within a second");
        var userId = await _a.UserIdAsync(user);
        var tokens = await _a.WithDbAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync());
        Assert.That(tokens.Select(t => t.RevokedAt).ToList(), Has.Count.EqualTo(2).And.All.Not.Null, "the user's tokens are revoked in the database");
        var fresh = await _b.CreateClient().WithBearer(await _a.IssueTokenAsync(user, NewPassword)).SendAsync(HttpMethod.Get, Groups, null);
        Assert.That(fresh.Status, Is.EqualTo(200), "a token issued with the new password works");
    }

    [Test]
    public async Task SignIn_WhenPasswordIsWrongButAccountStaysOpen_AppendsNoSecurityEvent()
    {
        var (user, _) = await NewUserAsync(Roles.Requester);
        var before = await EventCountAsync();

        var wrong = await _a.Api(null).SendAsync(HttpMethod.Post, TokenPath, $$"""{"userName":"{{user}}","password":"Wrong-password-1"}""");

        Assert.That(wrong.Status, Is.EqualTo(401));
        Assert.That(await EventCountAsync(), Is.EqualTo(before), "a failed sign-in changes nothing a principal holds");
    }

    [Test]
    public async Task AddMember_WhenTheMemberIsOnlyInTheGroupsCollection_AppendsAGroupsEvent()
    {
        var (user, _) = await NewUserAsync(Roles.Agent);
        var userId = await _a.WithDbAsync(db => db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleAsync());
        var groupId = Guid.NewGuid();
        await _a.WithDbAsync(db =>
        {
            db.AssignmentGroups.Add(new AssignmentGroup(groupId, "Event group " + groupId.ToString("N")[..8]));
            return db.SaveChangesAsync();
        });

        // Only the group is tracked when the save starts: the new member turns up in change detection, which the
        // log must therefore run although no identity entity is tracked yet.
        await _a.WithDbAsync(async db =>
        {
            var group = await db.AssignmentGroups.Include(g => g.Members).SingleAsync(g => g.Id == groupId);
            group.AddMember(userId);
            return await db.SaveChangesAsync();
        });

        var reasons = await _a.WithDbAsync(db => db.Set<SecurityEvent>().Where(e => e.UserId == userId).Select(e => e.Reason).ToListAsync());
        Assert.That(reasons, Does.Contain("groups"));
    }

    // ---- helpers ----

    private Task<int> EventCountAsync() => _a.WithDbAsync(db => db.Set<SecurityEvent>().CountAsync());

    /// <summary>Polls every 50 ms until the condition holds; the time it took, or null after <see cref="Within"/>.</summary>
    private static async Task<TimeSpan?> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await condition())
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                await TestContext.Out.WriteLineAsync($"took effect after {elapsed.TotalMilliseconds:0} ms");
                return elapsed;
            }
            if (Stopwatch.GetElapsedTime(started) > Within) return null;
            await Task.Delay(50);
        }
    }

    private static async Task WithUsersAsync(WebApplicationFactory<Program> app, Func<UserManager<ItsmUser>, Task> action)
    {
        using var scope = app.Services.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<UserManager<ItsmUser>>());
    }

    private async Task<(string User, string Password)> NewUserAsync(string role)
    {
        var name = "event-" + Guid.NewGuid().ToString("N")[..10];
        var password = "Pw-" + Guid.NewGuid().ToString("N")[..16];
        await WithUsersAsync(_a, async users =>
        {
            var user = new ItsmUser { UserName = name, DisplayName = "Event " + name };
            Assert.That((await users.CreateAsync(user, password)).Succeeded, Is.True);
            Assert.That((await users.AddToRoleAsync(user, role)).Succeeded, Is.True);
        });
        return (name, password);
    }
}
