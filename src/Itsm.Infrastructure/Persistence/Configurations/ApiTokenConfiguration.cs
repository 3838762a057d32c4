using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.ToTable("api_tokens");
        b.HasKey(t => t.Id);
        // Ids are made by the domain; EF must treat new ones found through navigations as added.
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.UserId).HasMaxLength(450).IsRequired();
        b.Property(t => t.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.Property(t => t.Name).HasMaxLength(200).IsRequired();
        b.HasOne<ItsmUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CalendarFeedLinkConfiguration : IEntityTypeConfiguration<CalendarFeedLink>
{
    public void Configure(EntityTypeBuilder<CalendarFeedLink> b)
    {
        b.ToTable("calendar_feed_links");
        b.HasKey(l => l.Id);
        b.Property(l => l.Id).ValueGeneratedNever();
        b.Property(l => l.UserId).HasMaxLength(450).IsRequired();
        b.Property(l => l.TokenHash).HasMaxLength(64).IsRequired();
        b.HasIndex(l => l.TokenHash).IsUnique();
        b.HasIndex(l => l.UserId);
        b.HasOne<ItsmUser>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
