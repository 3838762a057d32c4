using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class ProblemConfiguration : IEntityTypeConfiguration<Problem>
{
    public void Configure(EntityTypeBuilder<Problem> b)
    {
        b.Property(p => p.RootCause).HasMaxLength(Problem.RootCauseMax);
        b.Property(p => p.Workaround).HasMaxLength(Problem.RootCauseMax);
        // The known-error list, newest first; problems only, so that creating an incident does not maintain it.
        b.HasIndex(p => new { p.IsKnownError, p.KnownErrorAt }).HasFilter("\"Kind\" = 'Problem'");
    }
}
