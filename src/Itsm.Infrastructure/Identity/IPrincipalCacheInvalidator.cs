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

/// <summary>What caches principals on this instance (the API token handler's cache), told to drop a user's.</summary>
public interface IPrincipalCacheInvalidator
{
    /// <summary>Drops the cached principals of <paramref name="userId"/>, or of everyone when it is null.</summary>
    void Invalidate(string? userId);
}
