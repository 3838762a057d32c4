using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Seeding;

/// <summary>Applies seed-data/reference at every start: roles, number sequences, groups, categories and assignment rules.</summary>
public sealed class ReferenceDataSeeder(ItsmDbContext db, RoleManager<IdentityRole> roles, IReferenceData referenceData)
{
    public async Task ApplyAsync(string seedDirectory, CancellationToken ct)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        await TicketNumberGenerator.EnsureSequencesAsync(db, ct);

        var file = SeedFiles.Read<SeedFiles.Assignment>(Path.Combine(seedDirectory, "reference", "assignment.yaml"));
        var groups = await db.AssignmentGroups.ToListAsync(ct);
        foreach (var row in file.Groups.Where(r => groups.All(g => g.Name != r.Name)))
        {
            var group = new AssignmentGroup(DeterministicId(row.Name), row.Name, row.Description);
            db.AssignmentGroups.Add(group);
            groups.Add(group);
        }
        var categories = await db.Categories.ToListAsync(ct);
        foreach (var row in file.Categories)
        {
            var groupId = row.Group is null ? (Guid?)null
                : groups.FirstOrDefault(g => g.Name == row.Group)?.Id
                  ?? throw new InvalidOperationException($"seed-data/reference/assignment.yaml: category '{row.Code}' names an unknown group '{row.Group}'.");
            var existing = categories.FirstOrDefault(c => c.Code == row.Code);
            if (existing is null) db.Categories.Add(new Category(row.Code, row.Label, groupId));
            else
            {
                existing.Relabel(row.Label);
                existing.Route(groupId);
            }
        }
        await db.SaveChangesAsync(ct);
        referenceData.Invalidate();
    }

    /// <summary>Stable ids for reference rows, so every instance and every test run agree.</summary>
    public static Guid DeterministicId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("itsm-group:" + name));
        return new Guid(hash.AsSpan(0, 16));
    }
}
