using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Identity;

/// <summary>
/// Appends a <see cref="SecurityEvent"/> in the same save as every write that changes who someone is or what they may
/// do: a token revoked or deleted, the user's password, security stamp, lockout, name or display name, their roles,
/// claims or group memberships, or a role itself. A changed password also revokes all of the user's API tokens.
/// After the save the principals cached on this instance are dropped at once; other instances read the events
/// (<see cref="SecurityEventListener"/>). Writes that bypass SaveChanges (ExecuteUpdate, raw SQL) are not seen.
/// </summary>
public sealed class SecurityChangeLog(IClock clock, IServiceProvider services) : SaveChangesInterceptor
{
    private static readonly string[] UserFields =
        [nameof(ItsmUser.PasswordHash), nameof(ItsmUser.SecurityStamp), nameof(ItsmUser.LockoutEnd), nameof(ItsmUser.UserName), nameof(ItsmUser.DisplayName)];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context) AppendAsync(context, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) await AppendAsync(context, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        InvalidateLocally(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        InvalidateLocally(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>The entities whose writes this log reads.</summary>
    private static readonly Type[] Watched =
        [typeof(ApiToken), typeof(IdentityUserRole<string>), typeof(IdentityUserClaim<string>), typeof(GroupMember),
            typeof(IdentityRole), typeof(IdentityRoleClaim<string>), typeof(ItsmUser)];

    private (IModel Model, HashSet<Type> Types)? _relevant;

    private async Task AppendAsync(DbContext context, CancellationToken ct)
    {
        // Detecting changes compares every property of every tracked entity: a save that tracks none of the watched
        // entities, nor one that could add one through a navigation, has nothing to log and skips it.
        if (!TracksRelevant(context)) return;
        context.ChangeTracker.DetectChanges();
        var changes = new Dictionary<string, string>(); // user id ("" = everyone) → reason
        var passwordChanged = new List<string>();
        foreach (var entry in context.ChangeTracker.Entries().ToList())
        {
            switch (entry.Entity)
            {
                case ApiToken t when entry.State is EntityState.Modified or EntityState.Deleted:
                    changes.TryAdd(t.UserId, "token");
                    break;
                case IdentityUserRole<string> r when entry.State is EntityState.Added or EntityState.Deleted:
                    changes.TryAdd(r.UserId, "roles");
                    break;
                case IdentityUserClaim<string> c when entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted:
                    changes.TryAdd(c.UserId, "claims");
                    break;
                case GroupMember m when entry.State is EntityState.Added or EntityState.Deleted:
                    changes.TryAdd(m.UserId, "groups");
                    break;
                case IdentityRole or IdentityRoleClaim<string> when entry.State is EntityState.Modified or EntityState.Deleted:
                    changes.TryAdd("", "role");
                    break;
                case ItsmUser u when entry.State == EntityState.Deleted:
                    changes.TryAdd(u.Id, "user-deleted");
                    break;
                case ItsmUser u when entry.State == EntityState.Modified:
                    var changed = await ChangedUserFieldsAsync(entry, ct);
                    if (changed.Count == 0) break;
                    if (changed.Contains(nameof(ItsmUser.PasswordHash)))
                    {
                        passwordChanged.Add(u.Id);
                        changes[u.Id] = "password";
                    }
                    else changes.TryAdd(u.Id, changed[0] == nameof(ItsmUser.LockoutEnd) ? "lockout" : "user");
                    break;
            }
        }
        if (changes.Count == 0) return;

        var now = clock.UtcNow;
        // A new password ends every session the old one opened: the user's API tokens are revoked in the same save.
        foreach (var userId in passwordChanged)
            foreach (var token in await context.Set<ApiToken>().Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct))
                token.RevokedAt = now;
        foreach (var (userId, reason) in changes)
            context.Add(new SecurityEvent { UserId = userId == "" ? null : userId, Reason = reason, At = now });
        context.ChangeTracker.DetectChanges();
    }

    /// <summary>Whether any tracked entity is watched, or leads to a watched one through navigations (a group's members).</summary>
    private bool TracksRelevant(DbContext context)
    {
        if (_relevant is not { } cached || cached.Model != context.Model) _relevant = cached = (context.Model, RelevantTypes(context.Model));
        var relevant = cached.Types;
        var tracker = context.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false; // listing the entries must not detect changes over all of them
        try
        {
            foreach (var entry in tracker.Entries())
                if (relevant.Contains(entry.Metadata.ClrType)) return true;
            return false;
        }
        finally { tracker.AutoDetectChangesEnabled = autoDetect; }
    }

    /// <summary>The watched types, their subtypes, and every entity type from which a chain of navigations reaches one.</summary>
    private static HashSet<Type> RelevantTypes(IModel model)
    {
        var relevant = new HashSet<Type>(Watched);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var type in model.GetEntityTypes())
            {
                var leads = type.GetAllBaseTypes()
                    .Concat(type.GetNavigations().Select(n => n.TargetEntityType))
                    .Concat(type.GetSkipNavigations().Select(n => n.TargetEntityType));
                if (leads.Any(t => relevant.Contains(t.ClrType))) grew = relevant.Add(type.ClrType) || grew;
            }
        }
        return relevant;
    }

    /// <summary>
    /// The sign-in relevant fields whose value differs from the database's. Identity's store marks every column of the
    /// user as modified on each update (a failed sign-in too), so the stored row is what tells what really changed.
    /// </summary>
    private static async Task<List<string>> ChangedUserFieldsAsync(EntityEntry entry, CancellationToken ct)
    {
        var candidates = UserFields.Where(f => entry.Property(f).IsModified).ToList();
        if (candidates.Count == 0) return [];
        var stored = await entry.GetDatabaseValuesAsync(ct);
        if (stored is null) return [.. candidates];
        return candidates.Where(f => !Equals(stored[f], entry.Property(f).CurrentValue)).ToList();
    }

    private void InvalidateLocally(DbContext? context)
    {
        if (context is null) return;
        var saved = context.ChangeTracker.Entries<SecurityEvent>().Select(e => e.Entity).ToList();
        if (saved.Count == 0) return;
        foreach (var invalidator in services.GetServices<IPrincipalCacheInvalidator>())
            foreach (var e in saved) invalidator.Invalidate(e.UserId);
        // Written once: a later save of the same context must not invalidate again.
        foreach (var e in saved) context.Entry(e).State = EntityState.Detached;
    }
}
