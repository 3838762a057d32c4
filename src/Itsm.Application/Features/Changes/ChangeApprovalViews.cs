using Itsm.Domain.Changes.Approvals;

namespace Itsm.Application.Features.Changes;

/// <summary>One approval as people read it; <see cref="CanDecide"/> says whether the caller may decide it now.</summary>
public sealed record ApprovalView(
    Guid Id, int Round, int Stage, string StageName, string SetKey, string SetLabel, string Rule, string Kind,
    string ApproverId, string ApproverName, string Why, string State, DateTimeOffset? RequestedAt, DateTimeOffset? DecidedAt,
    string? DecidedByName, string? OnBehalfOfName, string? Comment, string? CanceledReason, bool CanDecide);

/// <summary>How far a set of the current round is.</summary>
public sealed record ApprovalSetView(int Stage, string StageName, string Key, string Label, string Rule, int Approved, int Total, bool IsMet, string Text);

/// <summary>A change's approvals: the latest round's outcome and sets, and every approval of every round (newest round first).</summary>
public sealed record ChangeApprovalsView(
    string Number, string State, int Round, int? CurrentStage, string? CurrentStageName, string? RejectedBy,
    IReadOnlyList<ApprovalSetView> Sets, IReadOnlyList<ApprovalView> Approvals, int Version);

internal static class ApprovalViews
{
    public static string Id(ApprovalState state) => state.ToString().ToLowerInvariant();

    public static ChangeApprovalsView Build(string number, int version, IReadOnlyList<ChangeApproval> rows, Func<ChangeApproval, bool> canDecide)
    {
        var outcome = ChangeApprovals.Evaluate(rows);
        return new ChangeApprovalsView(number, rows.Count == 0 ? "none" : outcome.State.ToString().ToLowerInvariant(), rows.Count == 0 ? 0 : outcome.Round,
            outcome.CurrentStage, outcome.CurrentStageName, outcome.RejectedBy,
            outcome.Sets.Select(s => new ApprovalSetView(s.Stage, s.StageName, s.Key, s.Label, s.Rule.Text, s.Approved, s.Total, s.IsMet, s.Text)).ToList(),
            rows.OrderByDescending(r => r.Round).ThenBy(r => r.Stage).ThenBy(r => r.SetKey, StringComparer.Ordinal).ThenBy(r => r.ApproverName, StringComparer.Ordinal)
                .Select(r => View(r, canDecide(r))).ToList(), version);
    }

    public static ApprovalView View(ChangeApproval r, bool canDecide) => new(
        r.Id, r.Round, r.Stage, r.StageName, r.SetKey, r.SetLabel, r.ParsedRule.Text, r.Kind.ToString().ToLowerInvariant(),
        r.ApproverId, r.ApproverName, r.Why, Id(r.State), r.RequestedAt, r.DecidedAt, r.DecidedByName, r.OnBehalfOfName, r.Comment,
        r.CanceledReason, canDecide);
}
