using Itsm.Application.Common;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_keys");
        b.HasKey(r => new { r.UserId, r.Key });
        b.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
        b.Property(r => r.UserId).HasMaxLength(450);
        b.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.TicketNumber).HasMaxLength(20).IsRequired();
    }
}
