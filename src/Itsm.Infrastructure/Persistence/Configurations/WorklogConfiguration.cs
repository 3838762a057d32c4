using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class WorklogConfiguration : IEntityTypeConfiguration<WorklogEntry>
{
    public void Configure(EntityTypeBuilder<WorklogEntry> b)
    {
        b.ToTable("worklog");
        b.HasKey(w => w.Id);
        // Ids are made by the domain; EF must treat new ones found through navigations as added.
        b.Property(w => w.Id).ValueGeneratedNever();
        b.Property(w => w.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(w => w.Text).HasMaxLength(Ticket.WorklogTextMax).IsRequired();
        b.Property(w => w.AuthorId).HasMaxLength(450).IsRequired();
        b.Property(w => w.AuthorName).HasMaxLength(200).IsRequired();
        b.HasIndex(w => new { w.TicketId, w.At });
    }
}
