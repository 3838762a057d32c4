using System.Globalization;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;

namespace Itsm.Domain.Changes.Approvals;

/// <summary>
/// Runs a change's approvals (the <see cref="ChangeApproval"/> rows of one change): starts a round from a plan,
/// records decisions and advances the stages, recomputes the approvers when the graph changes, and cancels
/// everything when the change goes back for rework. Only the latest round counts.
/// </summary>
public static class ChangeApprovals
{
    /// <summary>Why requested approvals of a met stage are withdrawn.</summary>
    public const string NotNeededReason = "not needed: the set's rule is met";

    /// <summary>The round to start next: one more than the highest so far.</summary>
    public static int NextRound(IEnumerable<ChangeApproval> approvals) => approvals.Select(a => a.Round).DefaultIfEmpty(0).Max() + 1;

    /// <summary>
    /// The rows of a new round: the first stage asked, later stages waiting. An empty plan gives no rows. A plan with a
    /// <see cref="ApprovalPlan.Blocker"/> is refused (<c>approval-fallback-unavailable</c>): the change would wait in
    /// Authorize for ever.
    /// </summary>
    public static IReadOnlyList<ChangeApproval> Start(ApprovalPlan plan, Guid changeId, int round, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        if (plan.Blocker is { } blocker) throw new BusinessRuleException("approval-fallback-unavailable", blocker);
        var rows = new List<ChangeApproval>();
        var first = plan.Stages.Count == 0 ? 0 : plan.Stages.Min(s => s.Order);
        foreach (var stage in plan.Stages.OrderBy(s => s.Order))
            foreach (var set in stage.Sets)
                foreach (var approver in set.Approvers)
                {
                    var row = new ChangeApproval(changeId, round, stage, set, approver, approver.Why, now);
                    if (stage.Order == first) row.Request(now);
                    rows.Add(row);
                }
        return rows;
    }

    /// <summary>
    /// Records <paramref name="actor"/>'s decision on one requested approval and advances the approval in the same call:
    /// a met stage asks the next one, a rejection withdraws the rest. Nobody decides on a change they requested or
    /// implement; a person's approval is decided by them or their delegate, a group's by a member or a member's delegate.
    /// </summary>
    public static ApprovalDecisionResult Decide(IReadOnlyList<ChangeApproval> approvals, Guid approvalId, bool approve, string? comment,
        Actor actor, ApproverContext ctx, DateTimeOffset now)
    {
        var row = approvals.FirstOrDefault(a => a.Id == approvalId) ?? throw new NotFoundException($"Approval {approvalId}");
        EnsureRequested(approvals, row);
        if (ctx.IsOwnChange(actor.UserId))
            throw new ForbiddenException(actor.UserId == ctx.RequesterId
                ? "You requested this change; nobody approves their own change."
                : "You implement this change; nobody approves their own change.");
        var behalf = Principal(row, actor, ctx, now);

        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (!approve && text is null)
            throw new FieldValidationException("comment", "Say why you reject the change.");
        row.Decide(approve, text, actor.UserId, actor.UserName, behalf?.FromUserId, behalf?.FromUserName, now);

        var step = Advance(approvals, row.Round, now);
        return new ApprovalDecisionResult(row, step.Outcome, step.Requested, step.Canceled);
    }

    /// <summary>The outcome of the latest round.</summary>
    public static ApprovalOutcome Evaluate(IEnumerable<ChangeApproval> approvals)
    {
        var list = approvals as IReadOnlyCollection<ChangeApproval> ?? approvals.ToList();
        return Evaluate(list, list.Count == 0 ? 1 : list.Max(a => a.Round));
    }

    /// <summary>
    /// The outcome of one round: rejected when any approval of it is rejected; otherwise pending at the first stage
    /// with a set whose rule is not met, or approved when every stage is met. Canceled rows do not count.
    /// </summary>
    public static ApprovalOutcome Evaluate(IEnumerable<ChangeApproval> approvals, int round)
    {
        var rows = approvals.Where(a => a.Round == round).ToList();
        var live = rows.Where(a => a.State != ApprovalState.Canceled).ToList();
        var sets = live
            .GroupBy(a => (a.Stage, a.SetKey))
            .OrderBy(g => g.Key.Stage).ThenBy(g => g.Min(a => a.CreatedAt))
            .Select(g =>
            {
                // After a recomputation a set may hold rows of two plans: the newest row carries the rule in force.
                var newest = g.OrderBy(a => a.CreatedAt).Last();
                var rule = newest.ParsedRule;
                var approved = g.Count(a => a.State == ApprovalState.Approved);
                var total = g.Count();
                return new ApprovalSetProgress(g.Key.Stage, newest.StageName, g.Key.SetKey, newest.SetLabel, rule, approved, total, rule.IsMet(approved, total));
            })
            .ToList();

        var rejection = rows.Where(a => a.State == ApprovalState.Rejected).OrderBy(a => a.DecidedAt).FirstOrDefault();
        if (rejection is not null)
            return new ApprovalOutcome(ApprovalOutcomeState.Rejected, round, rejection.Stage, rejection.StageName, rejection, sets);
        if (live.Count == 0)
            return new ApprovalOutcome(ApprovalOutcomeState.NotStarted, round, null, null, null, sets);
        var unmet = sets.FirstOrDefault(s => !s.IsMet);
        return unmet is null
            ? new ApprovalOutcome(ApprovalOutcomeState.Approved, round, null, null, null, sets)
            : new ApprovalOutcome(ApprovalOutcomeState.Pending, round, unmet.Stage, unmet.StageName, null, sets);
    }

    /// <summary>
    /// Moves a round on after decisions or a recomputation: the waiting approvals of the current (and earlier) stages
    /// are asked, approvals still pending in met stages are withdrawn as not needed, and after a rejection every
    /// pending approval is withdrawn.
    /// </summary>
    public static ApprovalStep Advance(IEnumerable<ChangeApproval> approvals, int round, DateTimeOffset now)
    {
        var rows = approvals.Where(a => a.Round == round).ToList();
        var outcome = Evaluate(rows, round);
        var requested = new List<ChangeApproval>();
        var canceled = new List<ChangeApproval>();
        if (outcome.State == ApprovalOutcomeState.Rejected)
        {
            var reason = $"not needed: {outcome.RejectedBy} rejected the change";
            foreach (var row in rows.Where(a => a.IsPending))
            {
                row.Cancel(reason, now);
                canceled.Add(row);
            }
            return new ApprovalStep(outcome, requested, canceled);
        }
        if (outcome.State == ApprovalOutcomeState.NotStarted) return new ApprovalStep(outcome, requested, canceled);

        var current = outcome.CurrentStage ?? int.MaxValue;
        foreach (var row in rows.Where(a => a.IsPending && a.Stage < current))
        {
            row.Cancel(NotNeededReason, now);
            canceled.Add(row);
        }
        foreach (var row in rows.Where(a => a.State == ApprovalState.Waiting && a.Stage <= current))
        {
            row.Request(now);
            requested.Add(row);
        }
        // Cancelling pending rows of met stages never unmeets them, so the outcome computed first still holds.
        return new ApprovalStep(Evaluate(rows, round), requested, canceled);
    }

    /// <summary>
    /// Recomputes a running round against <paramref name="newPlan"/> after the affected CIs or the graph changed:
    /// pending approvers no longer planned are canceled with <paramref name="reason"/>; new approvers are added
    /// (asked at once when their stage is the current one or earlier, otherwise waiting) with the reason in their
    /// Why; approvals already given stay. A rejected round is left as it is.
    /// </summary>
    public static ApprovalReconciliation Reconcile(IReadOnlyList<ChangeApproval> approvals, ApprovalPlan newPlan, int round, DateTimeOffset now, string reason)
    {
        var rows = approvals.Where(a => a.Round == round).ToList();
        if (rows.Count == 0)
            throw new ArgumentException($"Round {round} has no approvals to recompute; start it instead.", nameof(round));
        var before = Evaluate(rows, round);
        if (before.State == ApprovalOutcomeState.Rejected)
            return new ApprovalReconciliation([], [], [], before, []);

        var summary = new List<string>();
        var planned = newPlan.Stages
            .SelectMany(st => st.Sets.SelectMany(set => set.Approvers.Select(a => (Stage: st, Set: set, Approver: a))))
            .ToList();
        static (int, string, ApproverKind, string) KeyOf(int stage, string set, ApproverKind kind, string id) => (stage, set, kind, id);
        var plannedKeys = planned.Select(p => KeyOf(p.Stage.Order, p.Set.Key, p.Approver.Kind, p.Approver.Id)).ToHashSet();

        var canceled = new List<ChangeApproval>();
        foreach (var row in rows.Where(a => a.IsPending && !plannedKeys.Contains(KeyOf(a.Stage, a.SetKey, a.Kind, a.ApproverId))))
        {
            row.Cancel(reason, now);
            canceled.Add(row);
            summary.Add($"no longer asks {row.ApproverName} ({row.SetLabel}, stage {Num(row.Stage)}): {reason}");
        }

        // An approver counts as asked while their row is in force, and also when it was withdrawn because the
        // set's rule was met: asking them again would only withdraw them again.
        var asked = rows
            .Where(a => a.State != ApprovalState.Canceled || a.CanceledReason == NotNeededReason)
            .Select(a => KeyOf(a.Stage, a.SetKey, a.Kind, a.ApproverId))
            .ToHashSet();
        var firstPlanned = newPlan.Stages.Count == 0 ? int.MaxValue : newPlan.Stages.Min(s => s.Order);
        var current = before.CurrentStage ?? (before.State == ApprovalOutcomeState.Approved ? int.MaxValue : firstPlanned);
        var added = new List<ChangeApproval>();
        var changeId = rows[0].ChangeId;
        foreach (var (stage, set, approver) in planned.Where(p => !asked.Contains(KeyOf(p.Stage.Order, p.Set.Key, p.Approver.Kind, p.Approver.Id))))
        {
            var row = new ChangeApproval(changeId, round, stage, set, approver, $"{approver.Why} ({reason})", now);
            if (stage.Order <= current) row.Request(now);
            added.Add(row);
        }

        // A newcomer to a stage that stays met would only be withdrawn at once: they are not asked.
        var after = Evaluate(rows.Concat(added), round);
        foreach (var row in added.Where(a => a.Stage < (after.CurrentStage ?? int.MaxValue)).ToList())
        {
            added.Remove(row);
            summary.Add($"did not ask {row.ApproverName}: stage {Num(row.Stage)} ({row.StageName}) is already approved ({row.Why})");
        }

        var step = Advance(rows.Concat(added), round, now);
        foreach (var row in added)
            summary.Add(row.State == ApprovalState.Requested
                ? $"asked {row.ApproverName}: {row.Why}"
                : $"will ask {row.ApproverName} in stage {Num(row.Stage)} ({row.StageName}): {row.Why}");
        var requested = step.Requested.Where(r => !added.Contains(r)).ToList();
        foreach (var row in requested)
            summary.Add($"asked {row.ApproverName}: stage {Num(row.Stage)} ({row.StageName}) is now current");
        foreach (var row in step.Canceled.Where(r => !canceled.Contains(r)))
        {
            canceled.Add(row);
            summary.Add($"no longer asks {row.ApproverName} ({row.SetLabel}, stage {Num(row.Stage)}): {row.CanceledReason}");
        }
        return new ApprovalReconciliation(added, canceled, requested, step.Outcome, summary);
    }

    /// <summary>Withdraws every pending approval with <paramref name="reason"/>, for rework (back to New); the next round starts the policy again.</summary>
    public static IReadOnlyList<ChangeApproval> CancelAll(IEnumerable<ChangeApproval> approvals, string reason, DateTimeOffset now)
    {
        var canceled = approvals.Where(a => a.IsPending).ToList();
        foreach (var row in canceled) row.Cancel(reason, now);
        return canceled;
    }

    private static void EnsureRequested(IReadOnlyList<ChangeApproval> approvals, ChangeApproval row)
    {
        switch (row.State)
        {
            case ApprovalState.Requested:
                return;
            case ApprovalState.Waiting:
                var outcome = Evaluate(approvals, row.Round);
                throw new BusinessRuleException("approval-not-requested",
                    $"This approval is asked in stage {Num(row.Stage)} ({row.StageName}); stage {Num(outcome.CurrentStage ?? row.Stage)} ({outcome.CurrentStageName}) must be approved first.");
            case ApprovalState.Canceled:
                throw new BusinessRuleException("approval-canceled", $"This approval was canceled ({row.CanceledReason}); it can no longer be decided.");
            default:
                throw new BusinessRuleException("approval-already-decided",
                    $"This approval was already {(row.State == ApprovalState.Approved ? "approved" : "rejected")} by {row.DecidedByName} on {row.DecidedAt:yyyy-MM-dd HH:mm}.");
        }
    }

    /// <summary>
    /// Whom <paramref name="actor"/> decides for: null when they are the approver (or a member of the approving
    /// group), else the delegation that lets them. Throws <see cref="ForbiddenException"/> when nothing does.
    /// </summary>
    private static ApprovalDelegation? Principal(ChangeApproval row, Actor actor, ApproverContext ctx, DateTimeOffset now)
    {
        var delegations = ctx.Delegations.Where(d => d.ToUserId == actor.UserId && d.IsActive(now));
        if (row.Kind == ApproverKind.Person)
        {
            if (row.ApproverId == actor.UserId) return null;
            var delegation = delegations.FirstOrDefault(d => d.FromUserId == row.ApproverId)
                ?? throw new ForbiddenException($"This approval is asked of {row.ApproverName}; only they or someone they delegated to may decide it.");
            if (ctx.IsOwnChange(delegation.FromUserId))
                throw new ForbiddenException($"{row.ApproverName} requested or implements this change; nobody approves their own change, not through a delegate either.");
            return delegation;
        }

        var group = Guid.Parse(row.ApproverId);
        if (ctx.IsMember(group, actor.UserId)) return null;
        return delegations
                .Where(d => ctx.IsMember(group, d.FromUserId) && !ctx.IsOwnChange(d.FromUserId))
                .OrderBy(d => d.FromUserName, StringComparer.Ordinal)
                .FirstOrDefault()
            ?? throw new ForbiddenException($"This approval is asked of the group {row.ApproverName}; only its members or their delegates may decide it.");
    }

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
