using Itsm.Domain.Changes;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.ToTable("tickets");
        b.HasKey(t => t.Id);
        // Ids are made by the domain; EF must treat new ones found through navigations as added.
        b.Property(t => t.Id).ValueGeneratedNever();
        b.HasDiscriminator(t => t.Kind).HasValue<Incident>(TicketKind.Incident).HasValue<Problem>(TicketKind.Problem)
            .HasValue<Change>(TicketKind.Change);
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(t => t.Number).HasMaxLength(20).IsRequired();
        b.HasIndex(t => t.Number).IsUnique();
        b.Property(t => t.ShortDescription).HasMaxLength(Ticket.ShortDescriptionMax).IsRequired();
        b.Property(t => t.Description).HasMaxLength(Ticket.DescriptionMax);
        b.Property(t => t.State).HasMaxLength(40).IsRequired();
        b.Property(t => t.Impact).HasConversion<int>();
        b.Property(t => t.Urgency).HasConversion<int>();
        b.Property(t => t.Priority).HasConversion<int>();
        b.Property(t => t.PriorityOverrideReason).HasMaxLength(500);
        b.Property(t => t.CategoryCode).HasMaxLength(60);
        b.Property(t => t.RequesterId).HasMaxLength(450).IsRequired();
        b.Property(t => t.RequesterName).HasMaxLength(200).IsRequired();
        b.Property(t => t.AssignmentGroupName).HasMaxLength(200);
        b.Property(t => t.AssigneeId).HasMaxLength(450);
        b.Property(t => t.AssigneeName).HasMaxLength(200);
        b.Property(t => t.HoldReason).HasMaxLength(60);
        b.Property(t => t.ResolutionCode).HasMaxLength(60);
        b.Property(t => t.ResolutionNotes).HasMaxLength(Ticket.DescriptionMax);
        b.Property(t => t.CancelReason).HasMaxLength(2000);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Ignore(t => t.IsPriorityOverridden);
        b.HasMany(t => t.Changes).WithOne().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(t => t.Worklog).WithOne().HasForeignKey(w => w.TicketId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(t => t.Changes).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(t => t.History);
        b.Navigation(t => t.Worklog).UsePropertyAccessMode(PropertyAccessMode.Field);
        // The queues: by state and recency, by assignee, by group, by requester.
        b.HasIndex(t => new { t.Kind, t.State, t.UpdatedAt });
        b.HasIndex(t => new { t.AssigneeId, t.State });
        b.HasIndex(t => new { t.AssignmentGroupId, t.State });
        b.HasIndex(t => new { t.RequesterId, t.UpdatedAt });
        b.HasIndex(t => new { t.Kind, t.UpdatedAt });
        // Timer transitions find the tickets that entered a state long enough ago (migration 0007; it replaces the
        // auto-close's old (State, ResolvedAt) index, so a create maintains no more indexes than before).
        b.HasIndex(t => new { t.Kind, t.State, t.StateChangedAt });
        // Queue filters by priority and by group, newest first (migration 0002).
        b.HasIndex(t => new { t.Priority, t.UpdatedAt });
        b.HasIndex(t => new { t.AssignmentGroupId, t.UpdatedAt });
        // The queue's sorts by priority and by opening time read the first page from these (migration 0005), filtering
        // the kind as they go: incidents outnumber every other kind by far.
        b.HasIndex(t => new { t.Priority, t.Number });
        b.HasIndex(t => new { t.OpenedAt, t.Number });
        // The default sort (last updated first), with or without a filter that has no index of its own (the text filter).
        b.HasIndex(t => new { t.UpdatedAt, t.Number });
    }

    /// <summary>
    /// SQLite only: a plain index on the short description, so that the text filter's count (a LIKE on every row)
    /// reads this small index instead of the whole table (migration 0005).
    /// </summary>
    public static void ConfigureSqlite(EntityTypeBuilder<Ticket> b) => b.HasIndex(t => t.ShortDescription);

    /// <summary>
    /// PostgreSQL only (called by <see cref="ItsmDbContext"/>; the model needs the pg_trgm extension): the queue's text
    /// filter, <c>ShortDescription COLLATE "und-x-icu" ILIKE '%text%'</c>, through a trigram index with the same collation
    /// (migration 0003, docs/decisions/0005-trigram-text-search.md).
    /// </summary>
    public static void ConfigurePostgres(EntityTypeBuilder<Ticket> b) =>
        b.HasIndex(t => t.ShortDescription).HasMethod("gin").HasOperators("gin_trgm_ops").UseCollation(TextSearch.PostgresCollation);
}
