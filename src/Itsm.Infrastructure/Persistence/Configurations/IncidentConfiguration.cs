using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.Property(i => i.ParentIncidentNumber).HasMaxLength(20);
        b.HasIndex(i => i.ParentIncidentId);
        b.Property(i => i.ProblemNumber).HasMaxLength(20);
        // Partial: most incidents have no problem, and a create should not pay for an index entry of nothing.
        b.HasIndex(i => i.ProblemId).HasFilter("\"ProblemId\" IS NOT NULL");
        b.Property(i => i.CausedByChangeNumber).HasMaxLength(20);
        // Partial for the same reason; the change's risk counts incidents through it.
        b.HasIndex(i => i.CausedByChangeId).HasFilter("\"CausedByChangeId\" IS NOT NULL");
    }
}
