using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Itsm.Web.Auth;

/// <summary>The per-user-name limiter: the user name is only known once the form or JSON body is read.</summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perUserName;

    public SignInThrottle(SignInRateLimitOptions options) =>
        _perUserName = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.GetFixedWindowLimiter(name,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.PerUserName), Window = options.Window, QueueLimit = 0 }));

    /// <summary>Takes one attempt for the user name; false, with when to retry, when its window is used up.</summary>
    public bool TryAcquire(string userName, out TimeSpan retryAfter)
    {
        using var lease = _perUserName.AttemptAcquire(userName.Trim().ToUpperInvariant());
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(1);
        return lease.IsAcquired;
    }

    public void Dispose() => _perUserName.Dispose();
}
