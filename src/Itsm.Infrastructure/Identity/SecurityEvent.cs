using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Identity;

/// <summary>
/// One change that makes signed-in principals stale: a token revoked, a password, role, group membership, lockout or
/// name changed (docs/decisions/0009). Every instance reads new rows and drops what it has cached for that user;
/// no user (<c>null</c>) means everyone (a role itself changed).
/// </summary>
public class SecurityEvent
{
    public long Id { get; set; }
    public string? UserId { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset At { get; set; }
}
