using System.Text.Json;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

/// <summary>The CMDB's tables (migration 0010, docs/decisions/0011).</summary>
public sealed class ConfigurationItemConfiguration : IEntityTypeConfiguration<ConfigurationItem>
{
    private static readonly ValueComparer<Dictionary<string, string>> MapComparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
        m => m.Aggregate(0, (h, kv) => h ^ HashCode.Combine(kv.Key, kv.Value)),
        m => new Dictionary<string, string>(m));

    public void Configure(EntityTypeBuilder<ConfigurationItem> b)
    {
        b.ToTable("configuration_items");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedOnAdd();
        b.Property(c => c.ClassCode).HasMaxLength(60).IsRequired();
        b.Property(c => c.Name).HasMaxLength(CiValidation.MaxNameLength).IsRequired();
        b.Property(c => c.Environment).HasMaxLength(60);
        b.Property(c => c.Source).HasMaxLength(100);
        b.Property(c => c.NativeKey).HasMaxLength(255);
        b.Property(c => c.IdentityKey).HasMaxLength(1000);
        b.Property(c => c.Attributes).IsRequired().HasConversion(m => Json(m), s => Map(s), MapComparer);
        b.Property(c => c.AttributeSources).IsRequired().HasConversion(m => Json(m), s => Map(s), MapComparer);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Ignore(c => c.Redundancy);
        b.HasIndex(c => new { c.Source, c.NativeKey }).IsUnique().HasFilter("\"NativeKey\" IS NOT NULL");
        b.HasIndex(c => new { c.ClassCode, c.IdentityKey }).IsUnique().HasFilter("\"IdentityKey\" IS NOT NULL");
        b.HasIndex(c => new { c.ClassCode, c.Name });
        b.HasIndex(c => c.UpdatedChangesetId);
    }

    /// <summary>SQLite: a plain name index (LIKE 'text%' and the count read it). PostgreSQL: trigrams, as the queue's text filter.</summary>
    public static void ConfigureSqlite(EntityTypeBuilder<ConfigurationItem> b) => b.HasIndex(c => c.Name);

    public static void ConfigurePostgres(EntityTypeBuilder<ConfigurationItem> b) =>
        b.HasIndex(c => c.Name).HasMethod("gin").HasOperators("gin_trgm_ops").UseCollation(TextSearch.PostgresCollation);

    private static string Json(Dictionary<string, string> m) => JsonSerializer.Serialize(new SortedDictionary<string, string>(m, StringComparer.Ordinal));
    private static Dictionary<string, string> Map(string s) => JsonSerializer.Deserialize<Dictionary<string, string>>(s) ?? [];
}

public sealed class RelationshipConfiguration : IEntityTypeConfiguration<Relationship>
{
    public void Configure(EntityTypeBuilder<Relationship> b)
    {
        b.ToTable("relationships");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedOnAdd();
        b.Property(r => r.TypeCode).HasMaxLength(60).IsRequired();
        b.Ignore(r => r.IsAlive);
        b.HasIndex(r => new { r.SourceId, r.TargetId, r.TypeCode }).IsUnique().HasFilter("\"DeletedAt\" IS NULL");
        b.HasIndex(r => r.TargetId);
    }
}

public sealed class CmdbChangesetConfiguration : IEntityTypeConfiguration<CmdbChangeset>
{
    public void Configure(EntityTypeBuilder<CmdbChangeset> b)
    {
        b.ToTable("cmdb_changesets");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedOnAdd();
        b.Property(c => c.ActorId).HasMaxLength(450).IsRequired();
        b.Property(c => c.ActorName).HasMaxLength(256).IsRequired();
        b.Property(c => c.Reason).HasMaxLength(1000);
        b.Property(c => c.ChangeNumber).HasMaxLength(20);
        b.Property(c => c.Source).HasMaxLength(100);
        b.Property(c => c.UnauthorisedReason).HasMaxLength(500);
        b.Ignore(c => c.IsUnauthorised);
        // The change manager's list of unauthorised writes, newest first.
        b.HasIndex(c => c.Id).HasFilter("\"UnauthorisedReason\" IS NOT NULL").HasDatabaseName("IX_cmdb_changesets_Unauthorised");
        // A change's page lists the writes that name it; most writes (imports, discovery) name none.
        b.HasIndex(c => c.ChangeNumber).HasFilter("\"ChangeNumber\" IS NOT NULL");
        b.HasIndex(c => c.At);
    }
}

public sealed class CmdbChangeEntryConfiguration : IEntityTypeConfiguration<CmdbChangeEntry>
{
    public void Configure(EntityTypeBuilder<CmdbChangeEntry> b)
    {
        b.ToTable("cmdb_change_entries");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedOnAdd();
        b.Property(e => e.Kind).HasMaxLength(30).IsRequired();
        b.Property(e => e.Field).HasMaxLength(100);
        b.HasIndex(e => e.ChangesetId);
        b.HasIndex(e => new { e.CiId, e.ChangesetId }).HasFilter("\"CiId\" IS NOT NULL");
    }
}

public sealed class TicketConfigurationItemConfiguration : IEntityTypeConfiguration<TicketConfigurationItem>
{
    public void Configure(EntityTypeBuilder<TicketConfigurationItem> b)
    {
        b.ToTable("ticket_configuration_items");
        b.HasKey(t => new { t.TicketId, t.Role, t.CiId });
        b.Property(t => t.AddedBy).HasMaxLength(256).IsRequired();
        b.HasIndex(t => t.CiId);
    }
}
