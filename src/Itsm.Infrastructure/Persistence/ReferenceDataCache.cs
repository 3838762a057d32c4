using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Infrastructure.Persistence;

/// <summary>All categories and groups in one snapshot, reloaded when it is older than the configured time or invalidated.</summary>
public sealed class ReferenceDataCache(IServiceScopeFactory scopes, IClock clock, TimeSpan maxAge) : IReferenceData
{
    private sealed record Snapshot(IReadOnlyDictionary<string, Category> Categories, IReadOnlyDictionary<Guid, AssignmentGroup> Groups, DateTimeOffset LoadedAt);

    private Task<Snapshot>? _current;

    public async Task<Category?> FindCategoryAsync(string code, CancellationToken ct) =>
        (await CurrentAsync(ct)).Categories.GetValueOrDefault(code);

    public async Task<AssignmentGroup?> FindGroupAsync(Guid id, CancellationToken ct) =>
        (await CurrentAsync(ct)).Groups.GetValueOrDefault(id);

    public void Invalidate() => Interlocked.Exchange(ref _current, null);

    private async Task<Snapshot> CurrentAsync(CancellationToken ct)
    {
        while (true)
        {
            var current = Volatile.Read(ref _current);
            if (current is { IsCompletedSuccessfully: true } && clock.UtcNow - current.Result.LoadedAt < maxAge) return current.Result;
            if (current is { IsCompleted: false }) return await current.WaitAsync(ct);
            // One load at a time: the reader that installs it starts it (on the pool, so a canceled request cannot
            // cancel everybody's load); the others share it. A failed load is retried by the next reader.
            var load = new Task<Task<Snapshot>>(LoadAsync);
            var loaded = load.Unwrap();
            if (Interlocked.CompareExchange(ref _current, loaded, current) != current) continue; // another reader was first
            load.Start(TaskScheduler.Default);
            return await loaded.WaitAsync(ct);
        }
    }

    private async Task<Snapshot> LoadAsync()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ItsmDbContext>();
        var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Code, StringComparer.Ordinal);
        var groups = await db.AssignmentGroups.AsNoTracking().Include(g => g.Members).ToDictionaryAsync(g => g.Id);
        return new Snapshot(categories, groups, clock.UtcNow);
    }
}
