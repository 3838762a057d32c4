using System.Text.Json;
using Itsm.Domain.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

public sealed class ChangeConfiguration : IEntityTypeConfiguration<Change>
{
    private static readonly ValueComparer<Dictionary<string, string>> MapComparer = new(
        (a, b) => a!.Count == b!.Count && !a.Except(b).Any(),
        m => m.Aggregate(0, (h, p) => HashCode.Combine(h, p.Key, p.Value)),
        m => new Dictionary<string, string>(m, StringComparer.Ordinal));

    public void Configure(EntityTypeBuilder<Change> b)
    {
        b.Property(c => c.Type).HasColumnName("ChangeType").HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.TemplateCode).HasMaxLength(60);
        b.Property(c => c.Justification).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.ImplementationPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.BackoutPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.TestPlan).HasMaxLength(Change.PlanTextMax);
        b.Property(c => c.ImplementerId).HasMaxLength(450);
        b.Property(c => c.ImplementerName).HasMaxLength(200);
        b.Property(c => c.Risk).HasConversion<int?>();
        b.Property(c => c.RiskAnswers).HasConversion(
            m => JsonSerializer.Serialize(new SortedDictionary<string, string>(m, StringComparer.Ordinal), (JsonSerializerOptions?)null),
            s => JsonSerializer.Deserialize<Dictionary<string, string>>(s, (JsonSerializerOptions?)null) ?? new Dictionary<string, string>(),
            MapComparer).HasMaxLength(4000);
        b.Ignore(c => c.Plan);
        b.Ignore(c => c.IsPlanned);
        // The calendar and the conflict check read changes by their planned window (migration 0015: why Kind leads).
        b.HasIndex(c => new { c.Kind, c.PlannedEnd, c.PlannedStart });
        b.HasIndex(c => new { c.ImplementerId, c.PlannedStart }).HasFilter("\"Kind\" = 'Change'");
        // The risk's history: the changes with an outcome, by outcome and time (migration 0014).
        b.HasIndex(c => new { c.ResolutionCode, c.ResolvedAt }).HasFilter("\"Kind\" = 'Change' AND \"ResolutionCode\" IS NOT NULL");
    }
}

public sealed class ChangeApprovalConfiguration : IEntityTypeConfiguration<Domain.Changes.Approvals.ChangeApproval>
{
    public void Configure(EntityTypeBuilder<Domain.Changes.Approvals.ChangeApproval> b)
    {
        b.ToTable("change_approvals");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.StageName).HasMaxLength(200).IsRequired();
        b.Property(a => a.SetKey).HasMaxLength(260).IsRequired();
        b.Property(a => a.SetLabel).HasMaxLength(300).IsRequired();
        b.Property(a => a.Rule).HasMaxLength(20).IsRequired();
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.ApproverId).HasMaxLength(450).IsRequired();
        b.Property(a => a.ApproverName).HasMaxLength(200).IsRequired();
        b.Property(a => a.Why).HasMaxLength(4000).IsRequired();
        b.Property(a => a.State).HasConversion<string>().HasMaxLength(16);
        b.Property(a => a.DecidedById).HasMaxLength(450);
        b.Property(a => a.DecidedByName).HasMaxLength(200);
        b.Property(a => a.OnBehalfOfId).HasMaxLength(450);
        b.Property(a => a.OnBehalfOfName).HasMaxLength(200);
        b.Property(a => a.Comment).HasMaxLength(Domain.Changes.Approvals.ChangeApproval.CommentMax);
        b.Property(a => a.CanceledReason).HasMaxLength(2000);
        b.Ignore(a => a.IsDecided);
        b.Ignore(a => a.IsPending);
        b.Ignore(a => a.ParsedRule);
        b.HasOne<Change>().WithMany().HasForeignKey(a => a.ChangeId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(a => new { a.ChangeId, a.Round });
        // The inbox: requested approvals by approver.
        b.HasIndex(a => new { a.ApproverId, a.State });
    }
}

public sealed class ApprovalDelegationConfiguration : IEntityTypeConfiguration<Domain.Changes.Approvals.ApprovalDelegation>
{
    public void Configure(EntityTypeBuilder<Domain.Changes.Approvals.ApprovalDelegation> b)
    {
        b.ToTable("approval_delegations");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.FromUserId).HasMaxLength(450).IsRequired();
        b.Property(d => d.FromUserName).HasMaxLength(200).IsRequired();
        b.Property(d => d.ToUserId).HasMaxLength(450).IsRequired();
        b.Property(d => d.ToUserName).HasMaxLength(200).IsRequired();
        b.HasIndex(d => new { d.ToUserId, d.Ends });
        b.HasIndex(d => new { d.FromUserId, d.Ends });
    }
}
