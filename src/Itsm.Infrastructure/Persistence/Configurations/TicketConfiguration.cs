using Itsm.Application.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
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
        b.HasDiscriminator(t => t.Kind).HasValue<Incident>(TicketKind.Incident).HasValue<Problem>(TicketKind.Problem);
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

public sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.Property(i => i.ParentIncidentNumber).HasMaxLength(20);
        b.HasIndex(i => i.ParentIncidentId);
        b.Property(i => i.ProblemNumber).HasMaxLength(20);
        // Partial: most incidents have no problem, and a create should not pay for an index entry of nothing.
        b.HasIndex(i => i.ProblemId).HasFilter("\"ProblemId\" IS NOT NULL");
    }
}

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

public sealed class GroupConfiguration : IEntityTypeConfiguration<AssignmentGroup>
{
    public void Configure(EntityTypeBuilder<AssignmentGroup> b)
    {
        b.ToTable("assignment_groups");
        b.HasKey(g => g.Id);
        // Ids are made by the domain; EF must treat new ones found through navigations as added.
        b.Property(g => g.Id).ValueGeneratedNever();
        b.Property(g => g.Name).HasMaxLength(200).IsRequired();
        b.HasIndex(g => g.Name).IsUnique();
        b.Property(g => g.Description).HasMaxLength(1000);
        b.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(g => g.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> b)
    {
        b.ToTable("group_members");
        b.HasKey(m => new { m.GroupId, m.UserId });
        b.Property(m => m.UserId).HasMaxLength(450);
        b.HasIndex(m => m.UserId);
    }
}

public sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> b)
    {
        b.ToTable("categories");
        b.HasKey(c => c.Code);
        b.Property(c => c.Code).HasMaxLength(60);
        b.Property(c => c.Label).HasMaxLength(200).IsRequired();
    }
}

public sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_keys");
        b.HasKey(r => new { r.UserId, r.Key });
        b.Property(r => r.Key).HasMaxLength(200);
        b.Property(r => r.UserId).HasMaxLength(450);
        b.Property(r => r.RequestHash).HasMaxLength(64).IsRequired();
        b.Property(r => r.TicketNumber).HasMaxLength(20).IsRequired();
    }
}

public sealed class NumberSequenceConfiguration : IEntityTypeConfiguration<NumberSequence>
{
    public void Configure(EntityTypeBuilder<NumberSequence> b)
    {
        b.ToTable("number_sequences");
        b.HasKey(s => s.Prefix);
        b.Property(s => s.Prefix).HasMaxLength(8);
    }
}

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
