using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Itsm.Web.Auth;

/// <summary>
/// How many sign-ins (the login form's POST and POST /api/v1/auth/token) are let through per window, per client
/// address and per user name (<c>Auth:SignInRateLimit:*</c>). Every attempt counts, successful or not. Identity's
/// lockout still applies on top; these limits slow down guessing across many accounts and keep password hashing
/// from being used to load the server.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "Auth:SignInRateLimit";

    /// <summary>Attempts per client address per window.</summary>
    public int PerAddress { get; set; } = 30;

    /// <summary>Attempts per user name (whatever the address) per window.</summary>
    public int PerUserName { get; set; } = 10;

    public int WindowSeconds { get; set; } = 60;

    public TimeSpan Window => TimeSpan.FromSeconds(Math.Max(1, WindowSeconds));
}
