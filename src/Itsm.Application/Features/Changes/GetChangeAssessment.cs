using Itsm.Application.Common;
using Itsm.Domain.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

public sealed record RiskReasonView(string Rule, string Text, int Points);

public sealed record RiskView(string Level, string Label, string ComputedLevel, int Score, IReadOnlyList<RiskReasonView> Reasons);

public sealed record ConflictView(string Kind, string Text, long? CiId, string? CiName, string? OtherChangeNumber, string? WindowId);

public sealed record PlannedApproverView(string Kind, string Id, string Name, string Why);

public sealed record PlannedSetView(string Key, string Label, string Rule, IReadOnlyList<PlannedApproverView> Approvers);

public sealed record PlannedStageView(int Order, string Name, IReadOnlyList<PlannedSetView> Sets);

/// <summary>Who the policy asks, stage by stage, and which of its decisions matched and why. The approvers the policy picked; <c>Blocker</c> says why approvals cannot start on this plan (nobody may decide a set).</summary>
public sealed record ApprovalPlanView(IReadOnlyList<PlannedStageView> Stages, IReadOnlyList<string> Explanation, string? Blocker);

/// <summary>
/// A change's assessment as its page and the API show it, computed now: risk with reasons, conflicts, the approvers
/// the policy picks, and the blast radius (impacted services with their paths; restricted CIs only for who may see them).
/// </summary>
public sealed record ChangeAssessmentView(string Number, DateTimeOffset AssessedAt, RiskView Risk, IReadOnlyList<ConflictView> Conflicts,
    ApprovalPlanView Approvers, ImpactView? BlastRadius);

[AuthorizeRoles]
public sealed record GetChangeAssessment(string Number) : IRequest<ChangeAssessmentView>;

public sealed class GetChangeAssessmentHandler(IItsmDbContext db, ICurrentUser user, IClock clock, ChangeAssessor assessor, CmdbModel model, CiViews views)
    : IRequestHandler<GetChangeAssessment, ChangeAssessmentView>
{
    /// <summary>
    /// The business services the blast radius explains with paths, the most critical first: a change on a shared
    /// database reaches a thousand, more than anyone reads beside its risk; the full impact analysis lists them all.
    /// </summary>
    public const int BlastRadiusServices = 50;

    public async Task<ChangeAssessmentView> Handle(GetChangeAssessment r, CancellationToken ct)
    {
        var now = clock.UtcNow;
        var change = await db.Changes.LoadVisibleAsync(TicketKind.Change, r.Number, user.Actor, ct);
        var a = await assessor.AssessAsync(change, now, ct, user.Actor);
        // The blast radius as the impact analysis shows it, from the assessment's own walk: walking again would cost as
        // much once more. An affected CI the caller may not see is there as "Restricted CI", as in the change's CI list.
        ImpactView? blast = null;
        if (a.Walk is { } walk)
            blast = await AnalyseImpactHandler.ViewAsync(user.Actor, walk,
                new AnalyseImpact(a.AffectedCis.Select(c => c.Id).ToList()) { PageSize = 50, MostCriticalServices = BlastRadiusServices }, model, views, ct);
        return new ChangeAssessmentView(change.Number, now,
            new RiskView(a.Risk.Level.Id(), a.Risk.Level.Label(), a.Risk.ComputedLevel.Id(), a.Risk.Score,
                a.Risk.Reasons.Select(x => new RiskReasonView(x.Rule, x.Text, x.Points)).ToList()),
            a.Conflicts.Select(c => new ConflictView(Kebab(c.Kind.ToString()), c.Text, c.CiId, c.CiName, c.OtherChangeNumber, c.WindowId)).ToList(),
            new ApprovalPlanView(a.Approvals.Stages.Select(s => new PlannedStageView(s.Order, s.Name, s.Sets.Select(set =>
                    new PlannedSetView(set.Key, set.Label, set.Rule.Text, set.Approvers.Select(p =>
                        new PlannedApproverView(p.Kind.ToString().ToLowerInvariant(), p.Id, p.Name, p.Why)).ToList())).ToList())).ToList(),
                a.Approvals.Explanation, a.Approvals.Blocker),
            blast);
    }

    private static string Kebab(string name) => string.Concat(name.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}
