using System.Text.Json;
using Itsm.Domain.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    private static readonly ValueComparer<Dictionary<string, string>> MapComparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
        m => m.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)),
        m => new Dictionary<string, string>(m, StringComparer.Ordinal));

    public void Configure(EntityTypeBuilder<Change> b)
    {
        b.Property(c => c.Type).HasColumnName("ChangeType").HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.TemplateCode).HasMaxLength(60);
        b.Property(c => c.Justification).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.ImplementationPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.BackoutPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.TestPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.ImplementerId).HasMaxLength(450);
        b.Property(c => c.ImplementerName).HasMaxLength(200);
        b.Property(c => c.Risk).HasConversion<int?>();
        b.Property(c => c.RiskAnswers).HasConversion(
            m => JsonSerializer.Serialize(new SortedDictionary<string, string>(m, StringComparer.Ordinal), (JsonSerializerOptions?)null),
            s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
            MapComparer).HasMaxLength(4000);
        b.Ignore(c => c.Plan);
        b.Ignore(c => c.IsPlanned);
        // The calendar and the conflict check read changes by their planned window; changes only.
        b.HasIndex(c => new { c.PlannedStart, c.PlannedEnd }).HasFilter("\"Kind\" = 'Change'");
        b.HasIndex(c => new { c.ImplementerId, c.PlannedStart }).HasFilter("\"Kind\" = 'Change'");
    }
}
