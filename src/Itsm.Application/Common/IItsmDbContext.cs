using Itsm.Domain.Cmdb;
using Itsm.Domain.Incidents;
using Itsm.Domain.Changes;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>The unit of work: the one DbContext, seen through the sets the use cases need.</summary>
public interface IItsmDbContext
{
    DbSet<Ticket> Tickets { get; }
    DbSet<Incident> Incidents { get; }
    DbSet<Problem> Problems { get; }
    DbSet<Change> Changes { get; }
    DbSet<Itsm.Domain.Changes.Approvals.ChangeApproval> ChangeApprovals { get; }
    DbSet<Itsm.Domain.Changes.Approvals.ApprovalDelegation> ApprovalDelegations { get; }
    DbSet<TicketChange> TicketChanges { get; }
    DbSet<WorklogEntry> Worklog { get; }
    DbSet<AssignmentGroup> AssignmentGroups { get; }
    DbSet<Category> Categories { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }
    DbSet<ConfigurationItem> ConfigurationItems { get; }
    DbSet<Relationship> Relationships { get; }
    DbSet<CmdbChangeset> CmdbChangesets { get; }
    DbSet<CmdbChangeEntry> CmdbChangeEntries { get; }
    DbSet<TicketConfigurationItem> TicketConfigurationItems { get; }
    DbSet<Itsm.Domain.Changes.Cab.CabMeeting> CabMeetings { get; }
    DbSet<Itsm.Domain.Changes.Cab.CabAgendaItem> CabAgendaItems { get; }
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry Entry(object entity);
    /// <summary>For bulk writes (the CMDB import), which detect changes themselves instead of on every save.</summary>
    Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker ChangeTracker { get; }
}
