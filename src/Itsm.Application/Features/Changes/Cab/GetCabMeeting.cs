using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>A CAB meeting for the workbench: each change on the agenda assessed now against the graph and the calendar.</summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.ChangeManager, Roles.CabMember, Roles.Engineer, Roles.Admin)]
public sealed record GetCabMeeting(Guid Id) : IRequest<CabMeetingView>;

public sealed class GetCabMeetingHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, ChangeAssessor assessor)
    : IRequestHandler<GetCabMeeting, CabMeetingView>
{
    public async Task<CabMeetingView> Handle(GetCabMeeting r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var meeting = await db.CabMeetings.AsNoTracking().Include(m => m.Items).Include(m => m.Log).AsSplitQuery()
                          .FirstOrDefaultAsync(m => m.Id == r.Id, ct)
                      ?? throw new NotFoundException($"CAB meeting {r.Id}");
        var items = meeting.Items;
        var ids = items.Select(i => i.ChangeId).ToList();
        var changes = (await db.Changes.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct)).ToDictionary(c => c.Id);
        var approvals = (await db.ChangeApprovals.AsNoTracking().Where(a => ids.Contains(a.ChangeId)).ToListAsync(ct)).ToLookup(a => a.ChangeId);
        var earlier = await EarlierItemsAsync(meeting, ids, ct);
        var rights = await ApproverRights.ForAsync(db, actor, now, ct);
        var process = processes.For(TicketKind.Change);

        var open = meeting.State != CabMeetingState.Closed;
        var run = CabMeeting.MayRun(actor);
        var agenda = new List<CabAgendaItemView>();
        foreach (var item in items)
        {
            var change = changes[item.ChangeId];
            var rows = approvals[item.ChangeId].ToList();
            var assessment = await assessor.AssessAsync(change, now, ct, actor);
            var own = actor.UserId == change.RequesterId || actor.UserId == change.ImplementerId;
            agenda.Add(new CabAgendaItemView(
                item.Order, change.Number, change.ShortDescription, Change.TypeId(change.Type), change.State,
                process.States.FirstOrDefault(s => s.Id == change.State)?.Label ?? change.State,
                change.PlannedStart, change.PlannedEnd, change.RequesterName, change.ImplementerName,
                Risk(assessment), assessment.Conflicts.Select(Conflict).ToList(), BlastRadius(assessment),
                Progress(rows), Decision(item), Earlier(earlier[item.ChangeId], rows),
                meeting.State == CabMeetingState.InProgress && CabMeeting.MayDecide(actor) && !own,
                !own && CabApproval.For(change, rows, rights, actor) is not null, run && open && !item.IsDecided));
        }

        return new CabMeetingView(meeting.Id, meeting.Title, meeting.StartsAt, meeting.EndsAt, meeting.PeriodFrom, meeting.PeriodTo,
            CabAccess.StateId(meeting.State), CabAccess.StateLabel(meeting.State), meeting.Minutes, meeting.CreatedByName, meeting.CreatedAt,
            meeting.StartedAt, meeting.ClosedAt, meeting.Version, agenda,
            meeting.Log.Reverse().Select(e => new CabLogView(e.At, e.ActorName, e.Text)).ToList(),
            new CabMeetingRights(run && open, run && meeting.State == CabMeetingState.Planned, run && meeting.State == CabMeetingState.InProgress,
                run && open, run && open && items.Count > 1, CabMeeting.MayDecide(actor) && meeting.State == CabMeetingState.InProgress, run && open));
    }

    /// <summary>The items of the same changes in meetings that started before this one, newest first.</summary>
    private async Task<ILookup<Guid, (CabAgendaItem Item, Guid MeetingId, string Title, DateTimeOffset StartsAt)>> EarlierItemsAsync(
        CabMeeting meeting, List<Guid> ids, CancellationToken ct)
    {
        var rows = await (from i in db.CabAgendaItems.AsNoTracking()
                          join m in db.CabMeetings.AsNoTracking() on i.MeetingId equals m.Id
                          where ids.Contains(i.ChangeId) && m.Id != meeting.Id && m.StartsAt < meeting.StartsAt
                          select new { Item = i, m.Id, m.Title, m.StartsAt }).ToListAsync(ct);
        return rows.OrderByDescending(x => x.StartsAt).ToLookup(x => x.Item.ChangeId, x => (x.Item, x.Id, x.Title, x.StartsAt));
    }

    private static RiskView Risk(ChangeAssessment a) => new(a.Risk.Level.Id(), a.Risk.Level.Label(), a.Risk.ComputedLevel.Id(), a.Risk.Score,
        a.Risk.Reasons.Select(x => new RiskReasonView(x.Rule, x.Text, x.Points)).ToList());

    private static ConflictView Conflict(Domain.Changes.Scheduling.ChangeConflict c) =>
        new(Kebab(c.Kind.ToString()), c.Text, c.CiId, c.CiName, c.OtherChangeNumber, c.WindowId);

    /// <summary>The blast radius with the CIs the caller may not see counted, not named.</summary>
    private static CabBlastRadiusView BlastRadius(ChangeAssessment a)
    {
        static List<CabCiView> Seen(IEnumerable<AssessedCi> cis) =>
            cis.Where(c => !c.Hidden).Select(c => new CabCiView(c.Id, c.Name, c.ClassCode, c.Criticality)).ToList();
        var affected = Seen(a.AffectedCis);
        var services = Seen(a.ImpactedServices.OrderBy(s => s.Criticality).ThenBy(s => s.Name, StringComparer.Ordinal));
        return new CabBlastRadiusView(affected, a.AffectedCis.Count - affected.Count, services, a.ImpactedServices.Count - services.Count,
            a.ImpactedServices.Count, a.ImpactedCiCount);
    }

    private static CabApprovalProgressView Progress(IReadOnlyList<ChangeApproval> rows)
    {
        if (rows.Count == 0) return new CabApprovalProgressView("none", 0, null, null, []);
        var outcome = ChangeApprovals.Evaluate(rows);
        return new CabApprovalProgressView(Kebab(outcome.State.ToString()), outcome.Round, outcome.CurrentStageName, outcome.RejectedBy,
            outcome.Sets.Select(s => new ApprovalSetView(s.Stage, s.StageName, s.Key, s.Label, s.Rule.Text, s.Approved, s.Total, s.IsMet, s.Text)).ToList());
    }

    private static CabItemDecisionView Decision(CabAgendaItem i) =>
        new(i.Decision.Id(), i.Decision.Label(), i.DecisionNotes, i.DecidedByName, i.DecidedAt);

    /// <summary>The change's items in earlier meetings, then its decided approvals (newest round first), for the board to see what was said before.</summary>
    private static List<CabEarlierDecisionView> Earlier(IEnumerable<(CabAgendaItem Item, Guid MeetingId, string Title, DateTimeOffset StartsAt)> items,
        IReadOnlyList<ChangeApproval> rows)
    {
        var list = items.Select(x => new CabEarlierDecisionView("cab-meeting", x.Item.Decision.Id(), x.Item.Decision.Label(), x.Item.DecisionNotes,
            x.Item.DecidedByName, x.Item.DecidedAt ?? x.StartsAt, x.Title, x.MeetingId, null)).ToList();
        list.AddRange(rows.Where(a => a.IsDecided).OrderByDescending(a => a.Round).ThenByDescending(a => a.DecidedAt)
            .Select(a => new CabEarlierDecisionView("approval", ApprovalViews.Id(a.State), a.State == ApprovalState.Approved ? "Approved" : "Rejected",
                a.Comment, a.OnBehalfOfName is { } behalf ? $"{a.DecidedByName} on behalf of {behalf}" : a.DecidedByName, a.DecidedAt,
                $"{a.ApproverName} for {a.SetLabel} ({a.StageName})", null, a.Round)));
        return list;
    }

    internal static string Kebab(string name) =>
        string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}

/// <summary>The caller's CAB approval of a change: the one they may decide now, if any.</summary>
internal static class CabApproval
{
    /// <summary>
    /// A requested approval of the CAB set in the latest round that the caller may decide (theirs first, then one delegated
    /// to them), while the change is being authorised; null otherwise. The caller's own changes are the caller's to check.
    /// </summary>
    public static ChangeApproval? For(Change change, IReadOnlyList<ChangeApproval> rows, ApproverRights rights, Actor actor)
    {
        if (change.State != Change.AuthorizeState || rows.Count == 0) return null;
        var latest = rows.Max(a => a.Round);
        return rows.Where(a => a.Round == latest && a.SetKey == CabAgenda.CabSetKey && a.State == ApprovalState.Requested && rights.MayDecide(a))
            .OrderBy(a => a.Kind == ApproverKind.Person && a.ApproverId == actor.UserId ? 0 : 1)
            .ThenBy(a => a.ApproverName, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Why the caller has no CAB approval to give on the change, for people.</summary>
    public static string WhyNone(Change change, IReadOnlyList<ChangeApproval> rows, ApproverRights rights)
    {
        if (change.State != Change.AuthorizeState) return $"{change.Number} is not being authorised any more";
        if (rows.Count == 0) return $"{change.Number} has no approvals";
        var latest = rows.Max(a => a.Round);
        var cab = rows.Where(a => a.Round == latest && a.SetKey == CabAgenda.CabSetKey).ToList();
        if (cab.Count == 0) return "its approval policy asks no CAB approval";
        var mine = cab.Where(rights.MayDecide).ToList();
        if (mine.Count == 0) return "the CAB approval is not asked of you";
        if (mine.Any(a => a.State == ApprovalState.Waiting))
            return $"its CAB stage is not reached yet ({ChangeApprovals.Evaluate(rows).CurrentStageName} first)";
        if (mine.Any(a => a.IsDecided)) return "you have already decided your CAB approval";
        return "your CAB approval is no longer asked";
    }
}
