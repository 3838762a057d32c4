using Itsm.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;

namespace Itsm.Web.Auth;

/// <summary>A hash of a random password, made once per process by the app's own hasher (the same cost as a real one).</summary>
public sealed class DummyPasswordHash
{
    private static readonly ItsmUser Nobody = new() { Id = "dummy", UserName = "dummy" };
    private readonly string _hash;

    public DummyPasswordHash(IServiceScopeFactory scopes)
    {
        using var scope = scopes.CreateScope();
        _hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<ItsmUser>>()
            .HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
    }

    /// <summary>Verifies the password against the dummy hash: the work of a real check, always a failure.</summary>
    public void Verify(IPasswordHasher<ItsmUser> hasher, string password) => hasher.VerifyHashedPassword(Nobody, _hash, password);
}
