using Itsm.Application.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence.Configurations;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Itsm.Infrastructure.Persistence;

/// <summary>The one DbContext: tickets, worklog, history, reference data, accounts and tokens.</summary>
public class ItsmDbContext(DbContextOptions<ItsmDbContext> options) : IdentityDbContext<ItsmUser>(options), IItsmDbContext
{
    public DbSet<Ticket> Tickets => Set<Ticket>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<Problem> Problems => Set<Problem>();
    public DbSet<Change> Changes => Set<Change>();
    public DbSet<Itsm.Domain.Changes.Approvals.ChangeApproval> ChangeApprovals => Set<Itsm.Domain.Changes.Approvals.ChangeApproval>();
    public DbSet<Itsm.Domain.Changes.Approvals.ApprovalDelegation> ApprovalDelegations => Set<Itsm.Domain.Changes.Approvals.ApprovalDelegation>();
    public DbSet<TicketChange> TicketChanges => Set<TicketChange>();
    public DbSet<WorklogEntry> Worklog => Set<WorklogEntry>();
    public DbSet<AssignmentGroup> AssignmentGroups => Set<AssignmentGroup>();
    public DbSet<Category> Categories => Set<Category>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<NumberSequence> NumberSequences => Set<NumberSequence>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<ConfigurationItem> ConfigurationItems => Set<ConfigurationItem>();
    public DbSet<Relationship> Relationships => Set<Relationship>();
    public DbSet<CmdbChangeset> CmdbChangesets => Set<CmdbChangeset>();
    public DbSet<CmdbChangeEntry> CmdbChangeEntries => Set<CmdbChangeEntry>();
    public DbSet<TicketConfigurationItem> TicketConfigurationItems => Set<TicketConfigurationItem>();
    public DbSet<Itsm.Domain.Changes.Cab.CabMeeting> CabMeetings => Set<Itsm.Domain.Changes.Cab.CabMeeting>();
    public DbSet<Itsm.Domain.Changes.Cab.CabAgendaItem> CabAgendaItems => Set<Itsm.Domain.Changes.Cab.CabAgendaItem>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ItsmDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            // Trigram index for the queue's text filter (migration 0003).
            builder.HasPostgresExtension("pg_trgm");
            TicketConfiguration.ConfigurePostgres(builder.Entity<Ticket>());
            ConfigurationItemConfiguration.ConfigurePostgres(builder.Entity<ConfigurationItem>());
        }
        else if (Database.IsSqlite())
        {
            TicketConfiguration.ConfigureSqlite(builder.Entity<Ticket>());
            ConfigurationItemConfiguration.ConfigureSqlite(builder.Entity<ConfigurationItem>());
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite cannot compare or sort DateTimeOffset; all our times are UTC, so store them as sortable ticks.
        if (Database.IsSqlite())
            builder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
