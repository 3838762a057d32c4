using Itsm.Application.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// Runs a change's approvals against the database: starts the policy when the change enters Authorize, records
/// decisions, recomputes the approvers when the CIs or the graph change, cancels them when the change goes back. Moves
/// the change on (approvals-granted) or back (approval-rejected) as the outcome says, and audits each step on the change.
/// </summary>
public sealed class ChangeApprovalService(IItsmDbContext db, IProcessCatalog processes, ChangeAssessor assessor, ApproverDirectory directory)
{
    public Task<List<ChangeApproval>> LoadAsync(Guid changeId, CancellationToken ct) =>
        db.ChangeApprovals.Where(a => a.ChangeId == changeId).OrderBy(a => a.Round).ThenBy(a => a.Stage).ThenBy(a => a.CreatedAt).ToListAsync(ct);

    /// <summary>The type of a change is kept once anyone approved it.</summary>
    public Task<bool> AnyGivenAsync(Change change, CancellationToken ct) =>
        db.ChangeApprovals.AnyAsync(a => a.ChangeId == change.Id && a.State == ApprovalState.Approved, ct);

    /// <summary>The change entered Authorize: a new round from the policy's plan; with nothing to approve it moves on at once.</summary>
    public async Task StartAsync(Change change, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var existing = await LoadAsync(change.Id, ct);
        var assessment = await assessor.AssessAndRecordAsync(change, now, ct);
        var rows = ChangeApprovals.Start(assessment.Approvals, change.Id, ChangeApprovals.NextRound(existing), now);
        db.ChangeApprovals.AddRange(rows);
        foreach (var line in assessment.Approvals.Explanation) change.RecordApprovals(line, Actor.System, now);
        foreach (var row in rows.Where(r => r.State == ApprovalState.Requested))
            change.RecordApprovals($"asked {row.ApproverName} ({row.SetLabel}): {row.Why}", Actor.System, now);
        if (rows.Count == 0) Move(change, AutomaticTrigger.ApprovalsGranted, "no approval is needed", now);
    }

    /// <summary>An approver decides; the change moves on when its policy is met, back to New when someone rejects it.</summary>
    public async Task<ApprovalDecisionResult> DecideAsync(Change change, Guid approvalId, bool approve, string? comment, Actor actor,
        DateTimeOffset now, CancellationToken ct)
    {
        if (change.State != Change.AuthorizeState)
            throw new Domain.Common.BusinessRuleException("change-not-in-authorization", $"{change.Number} is not being authorised; its approvals take no decisions.");
        var rows = await LoadAsync(change.Id, ct);
        var delegations = await db.ApprovalDelegations.AsNoTracking().Where(d => d.Ends > now && d.Starts <= now).ToListAsync(ct);
        var context = new ApproverContext(change.RequesterId, change.ImplementerId, await directory.MembershipAsync(ct), delegations);
        var result = ChangeApprovals.Decide(rows, approvalId, approve, comment, actor, context, now);
        var who = result.Decision.OnBehalfOfName is { } behalf ? $"{actor.UserName} on behalf of {behalf}" : actor.UserName;
        change.RecordApprovals($"{(approve ? "approved" : "rejected")} by {who} for {result.Decision.ApproverName}" +
                               (result.Decision.Comment is { } c ? $": {c}" : ""), actor, now);
        Follow(change, result.Outcome, result.Requested, now);
        return result;
    }

    /// <summary>The CIs or the graph changed while approval runs: the approver sets are recomputed; approvals given stay.</summary>
    public async Task RecomputeAsync(Change change, string reason, DateTimeOffset now, CancellationToken ct)
    {
        if (change.State != Change.AuthorizeState) return;
        var rows = await LoadAsync(change.Id, ct);
        if (rows.Count == 0) return;
        var assessment = await assessor.AssessAndRecordAsync(change, now, ct);
        var result = ChangeApprovals.Reconcile(rows, assessment.Approvals, rows.Max(r => r.Round), now, reason);
        db.ChangeApprovals.AddRange(result.Added);
        foreach (var line in result.Summary) change.RecordApprovals(line, Actor.System, now);
        Follow(change, result.Outcome, [], now);
    }

    /// <summary>Back to New (edited while frozen): pending approvals are canceled; submitting again starts the policy afresh.</summary>
    public async Task SendBackAsync(Change change, ProcessDefinition process, string reason, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        Move(change, AutomaticTrigger.ChangeReplanned, reason, now);
        await CancelAsync(change, reason, now, ct);
    }

    /// <summary>Cancels every pending approval of the change (it went back to New, or was canceled).</summary>
    public async Task CancelAsync(Change change, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var canceled = ChangeApprovals.CancelAll(await LoadAsync(change.Id, ct), reason, now);
        if (canceled.Count > 0) change.RecordApprovals($"{canceled.Count} pending approval(s) canceled: {reason}", Actor.System, now);
    }

    private void Follow(Change change, ApprovalOutcome outcome, IReadOnlyList<ChangeApproval> requested, DateTimeOffset now)
    {
        foreach (var row in requested) change.RecordApprovals($"asked {row.ApproverName} ({row.SetLabel}): {row.Why}", Actor.System, now);
        if (outcome.State == ApprovalOutcomeState.Approved) Move(change, AutomaticTrigger.ApprovalsGranted, "every approval stage is met", now);
        else if (outcome.State == ApprovalOutcomeState.Rejected)
            Move(change, AutomaticTrigger.ApprovalRejected, $"rejected by {outcome.RejectedBy}", now);
    }

    private void Move(Change change, AutomaticTrigger trigger, string why, DateTimeOffset now)
    {
        var process = processes.For(TicketKind.Change);
        if (change.AutomaticFor(process, trigger) is not { } auto) return;
        change.ApplyAutomatic(process, auto, Actor.System, now);
        change.RecordApprovals($"{auto.Name}: {why}", Actor.System, now);
    }
}
