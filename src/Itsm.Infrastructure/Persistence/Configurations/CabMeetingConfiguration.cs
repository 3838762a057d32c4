using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Cab;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Itsm.Infrastructure.Persistence.Configurations;

/// <summary>CAB meetings, their agenda items and their audit (migration 0012).</summary>
public sealed class CabMeetingConfiguration : IEntityTypeConfiguration<CabMeeting>
{
    public void Configure(EntityTypeBuilder<CabMeeting> b)
    {
        b.ToTable("cab_meetings");
        b.HasKey(m => m.Id);
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Title).HasMaxLength(CabMeeting.TitleMax).IsRequired();
        b.Property(m => m.State).HasConversion<string>().HasMaxLength(16);
        b.Property(m => m.Minutes).HasMaxLength(CabMeeting.MinutesMax);
        b.Property(m => m.CreatedById).HasMaxLength(450).IsRequired();
        b.Property(m => m.CreatedByName).HasMaxLength(200).IsRequired();
        b.Property(m => m.Version).IsConcurrencyToken();
        // The aggregate hands out ordered copies; EF reads and writes the lists behind them.
        b.HasMany(m => m.Items).WithOne().HasForeignKey(i => i.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(m => m.Items).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.HasMany(m => m.Log).WithOne().HasForeignKey(e => e.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(m => m.Log).UsePropertyAccessMode(PropertyAccessMode.Field);
        // The list of meetings, newest first.
        b.HasIndex(m => m.StartsAt);
    }
}

public sealed class CabAgendaItemConfiguration : IEntityTypeConfiguration<CabAgendaItem>
{
    public void Configure(EntityTypeBuilder<CabAgendaItem> b)
    {
        b.ToTable("cab_agenda_items");
        b.HasKey(i => i.Id);
        b.Property(i => i.Id).ValueGeneratedNever();
        b.Property(i => i.ChangeNumber).HasMaxLength(20).IsRequired();
        b.Property(i => i.Decision).HasConversion<string>().HasMaxLength(16);
        b.Property(i => i.DecisionNotes).HasMaxLength(CabMeeting.NotesMax);
        b.Property(i => i.DecidedById).HasMaxLength(450);
        b.Property(i => i.DecidedByName).HasMaxLength(200);
        b.Ignore(i => i.IsDecided);
        b.HasOne<Change>().WithMany().HasForeignKey(i => i.ChangeId).OnDelete(DeleteBehavior.Cascade);
        // A change is on a meeting's agenda once; its earlier decisions are read by change.
        b.HasIndex(i => new { i.MeetingId, i.ChangeId }).IsUnique();
        b.HasIndex(i => i.ChangeId);
    }
}

public sealed class CabMeetingLogEntryConfiguration : IEntityTypeConfiguration<CabMeetingLogEntry>
{
    public void Configure(EntityTypeBuilder<CabMeetingLogEntry> b)
    {
        b.ToTable("cab_meeting_log");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.ActorId).HasMaxLength(450).IsRequired();
        b.Property(e => e.ActorName).HasMaxLength(200).IsRequired();
        b.Property(e => e.Text).HasMaxLength(CabMeetingLogEntry.TextMax).IsRequired();
        b.HasIndex(e => new { e.MeetingId, e.MeetingVersion });
    }
}
