using Itsm.Application.Common;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>
/// Records the board's decision (approve, reject, defer) on one change of a meeting that sits. When the caller has a
/// requested CAB approval of that change, approving or rejecting also decides it, so the change moves on (or back) as its
/// approval policy says; deferring leaves the approvals waiting. A rejection needs notes, which become the approval's comment.
/// </summary>
[AuthorizeRoles(Roles.CabMember, Roles.ChangeManager, Roles.Admin)]
public sealed record RecordCabDecision(Guid Id, string ChangeNumber, string? Decision, string? Notes, int? ExpectedVersion = null)
    : IRequest<CabDecisionResult>, ICommand;

public sealed class RecordCabDecisionValidator : IRequestValidator<RecordCabDecision>
{
    public IEnumerable<(string, string)> Validate(RecordCabDecision r)
    {
        var decision = r.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("approve" or "reject" or "defer")) yield return ("decision", "The decision is approve, reject or defer.");
        if (r.Notes is { Length: > CabMeeting.NotesMax }) yield return ("notes", $"At most {CabMeeting.NotesMax} characters.");
        if (decision == "reject" && string.IsNullOrWhiteSpace(r.Notes)) yield return ("notes", "Say why the board rejects the change.");
    }
}

public sealed class RecordCabDecisionHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, ChangeApprovalService approvals)
    : IRequestHandler<RecordCabDecision, CabDecisionResult>
{
    public async Task<CabDecisionResult> Handle(RecordCabDecision r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var meeting = await CabMeetings.LoadAsync(db, r.Id, ct);
        meeting.EnsureVersion(r.ExpectedVersion);
        var item = meeting.ItemFor(r.ChangeNumber);
        var change = await db.Changes.FirstAsync(c => c.Id == item.ChangeId, ct);
        var own = actor.UserId == change.RequesterId || actor.UserId == change.ImplementerId;
        var decision = CabDecisionText.Parse(r.Decision)!.Value;
        var recorded = meeting.RecordDecision(item.ChangeNumber, decision, r.Notes, own, actor, now);

        var said = new List<string>
        {
            !recorded.Changed ? $"{change.Number}: the board's decision was already {decision.Label().ToLowerInvariant()}."
            : recorded.Redecided ? $"{change.Number}: the board's decision is now {decision.Label().ToLowerInvariant()} (it was {recorded.Previous.Label().ToLowerInvariant()})."
            : $"{change.Number}: the board's decision is recorded as {decision.Label().ToLowerInvariant()}.",
        };
        string? approvalDecision = null;
        var rows = await approvals.LoadAsync(change.Id, ct);
        if (decision == CabDecision.Deferred)
            said.Add("The change's approvals wait for a later meeting.");
        else
        {
            var rights = await ApproverRights.ForAsync(db, actor, now, ct);
            if (CabApproval.For(change, rows, rights, actor) is { } approval)
            {
                var approve = decision == CabDecision.Approved;
                var done = await approvals.DecideAsync(change, approval.Id, approve, item.DecisionNotes, actor, now, ct);
                approvalDecision = approve ? "approved" : "rejected";
                var whose = approval.Kind == ApproverKind.Person && approval.ApproverId == actor.UserId ? "Your CAB approval" : $"The CAB approval of {approval.ApproverName}";
                said.Add($"{whose} is recorded as {(approve ? "given" : "a rejection")}: {Outcome(done.Outcome)}");
            }
            else said.Add($"No CAB approval was decided with it: {CabApproval.WhyNone(change, rows, rights)}.");
        }
        if (approvalDecision is not null && change.State != Change.AuthorizeState)
            said.Add($"{change.Number} is now {StateLabel(change.State)}.");

        await db.SaveChangesAsync(ct);
        var outcome = rows.Count == 0 ? "none" : GetCabMeetingHandler.Kebab(ChangeApprovals.Evaluate(rows).State.ToString());
        return new CabDecisionResult(meeting.Id, change.Number, decision.Id(), recorded.Changed, recorded.Redecided, approvalDecision, outcome,
            change.State, StateLabel(change.State), string.Join(" ", said), meeting.Version);
    }

    private string StateLabel(string state) => processes.For(TicketKind.Change).States.FirstOrDefault(s => s.Id == state)?.Label ?? state;

    private static string Outcome(ApprovalOutcome outcome) => outcome.State switch
    {
        ApprovalOutcomeState.Approved => "every approval stage is met.",
        ApprovalOutcomeState.Rejected => "the change is rejected.",
        _ => outcome.Sets.FirstOrDefault(s => s.Key == CabAgenda.CabSetKey) is not { } cab ? $"the change waits for {outcome.CurrentStageName}."
            : cab.IsMet ? $"the CAB's rule is met ({cab.Text}); the change still waits for {outcome.CurrentStageName}."
            : $"the CAB has {cab.Text}.",
    };
}
