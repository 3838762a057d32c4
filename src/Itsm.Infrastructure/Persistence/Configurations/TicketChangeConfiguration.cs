using System.Text.Json;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

/// <summary>
/// The audit: one row per change, its fields as a JSON array (<c>[{"field": …, "oldValue": …, "newValue": …}]</c>),
/// in the order they changed (migration 0004, docs/decisions/0006-sqlite-group-commit.md).
/// </summary>
public sealed class TicketChangeConfiguration : IEntityTypeConfiguration<TicketChange>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<TicketChange> b)
    {
        b.ToTable("ticket_changes");
        b.HasKey(c => c.Id);
        // Ids are made by the domain; EF must treat new ones found through navigations as added.
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.ActorId).HasMaxLength(450).IsRequired();
        b.Property(c => c.ActorName).HasMaxLength(200).IsRequired();
        b.Ignore(c => c.Fields);
        b.Property<List<FieldChange>>("_fields").HasColumnName("Fields").IsRequired()
            .HasConversion(
                fields => JsonSerializer.Serialize(fields, Json),
                json => JsonSerializer.Deserialize<List<FieldChange>>(json, Json) ?? new List<FieldChange>(),
                new ValueComparer<List<FieldChange>>(
                    (a, c) => a!.SequenceEqual(c!),
                    fields => fields.Aggregate(0, (hash, f) => HashCode.Combine(hash, f)),
                    fields => fields.ToList()));
        b.HasIndex(c => new { c.TicketId, c.At });
    }
}
