using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Changes.Risk;
using Itsm.Domain.Changes.Scheduling;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>
/// A CI as the assessment sees it. <see cref="Name"/> is what texts may say of it: a restricted CI's name only for a
/// viewer who may see it ("Restricted CI" and <see cref="Hidden"/> for others), and "CI 42 (restricted)" in texts
/// computed for no one in particular (they are kept, e.g. why an approver is asked).
/// </summary>
public sealed record AssessedCi(long Id, string Name, string ClassCode, int Criticality, Guid? OwnerGroupId, bool Hidden = false);

/// <summary>
/// Everything computed about a change from the graph and the calendar: its blast radius, conflicts, risk with reasons,
/// and the approvers its policy picks. Computed on the whole graph; what a caller may see is filtered when shown.
/// <see cref="Walk"/> is the impact walk from the affected CIs (null without any), for showing the blast radius
/// without walking again.
/// </summary>
public sealed record ChangeAssessment(
    IReadOnlyList<AssessedCi> AffectedCis,
    IReadOnlyList<AssessedCi> ImpactedServices,
    int ImpactedCiCount,
    IReadOnlyList<ChangeConflict> Conflicts,
    RiskAssessment Risk,
    ApprovalPlan Approvals,
    ImpactResult? Walk = null);

/// <summary>How change management reads the graph (configuration <c>Changes:*</c>).</summary>
public sealed record ChangeSettings(int ConflictHops = 1, int HistoryDays = 90);

/// <summary>Assesses a change: the facts from the database and the graph, then the risk model, the conflict detector and the policy.</summary>
public sealed class ChangeAssessor(IItsmDbContext db, ICmdbGraph graph, CmdbModel model, RiskModel risk, ApprovalPolicy policy,
    ChangeWindows windows, ChangeSettings settings, ApproverDirectory directory)
{
    /// <summary>The states in which a change holds its window on the calendar (others may conflict with it).</summary>
    public static readonly string[] CalendarStates = ["assess", "authorize", "scheduled", "implement"];
    public static readonly string[] FailedOutcomes = ["failed", "backed-out"];

    public RiskModel Risk => risk;

    /// <param name="viewer">Who the texts are for: CIs they may not see are not named. Without one, no restricted CI is.</param>
    public async Task<ChangeAssessment> AssessAsync(Change change, DateTimeOffset now, CancellationToken ct, Actor? viewer = null)
    {
        var affected = await AffectedCisAsync(change, ct, viewer);
        var ids = affected.Select(c => c.Id).ToList();
        var (services, impactedCount, walk) = await BlastRadiusAsync(ids, viewer, ct);
        var conflicts = await ConflictsAsync(change, affected, services, viewer, ct);
        var failed = await FailedChangesAsync(change, ids, now, ct);
        var caused = await IncidentsCausedByChangesAsync(change, ids, now, ct);
        var facts = new RiskFacts
        {
            Type = change.Type,
            Cis = affected.Select(c => new RiskCi(c.Id, c.Name, c.ClassCode, c.Criticality)).ToList(),
            ImpactedServices = services.Select(c => new RiskCi(c.Id, c.Name, c.ClassCode, c.Criticality)).ToList(),
            ImpactedCiCount = impactedCount,
            LeadTime = change.PlannedStart is { } start ? start - now : null,
            CisOutsideMaintenanceWindow = conflicts.Count(c => c.Kind == ConflictKind.OutsideMaintenanceWindow),
            BlackoutCount = conflicts.Count(c => c.Kind == ConflictKind.Blackout),
            ConflictCount = conflicts.Count(c => c.Kind is ConflictKind.SameCi or ConflictKind.RelatedCi or ConflictKind.ImplementerBusy),
            FailedChangesLast90Days = failed,
            IncidentsCausedByChangesLast90Days = caused,
            Answers = change.RiskAnswers,
        };
        var assessed = risk.Assess(facts);
        var approvalFacts = new ApprovalFacts
        {
            Type = change.Type,
            Risk = assessed.Level,
            Cis = affected.Select(c => new ApprovalCi(c.Id, c.Name, c.ClassCode, c.Criticality, c.OwnerGroupId)).ToList(),
            ImpactedServices = services.Select(c => new ApprovalCi(c.Id, c.Name, c.ClassCode, c.Criticality, c.OwnerGroupId)).ToList(),
        };
        var plan = policy.Plan(approvalFacts with { RequesterId = change.RequesterId, ImplementerId = change.ImplementerId },
            await directory.LoadAsync(ct));
        return new ChangeAssessment(affected, services, impactedCount, conflicts, assessed, plan, walk);
    }

    /// <summary>Assesses the change and records the result on it (risk, conflicts, CIs counted), for guards and lists.</summary>
    public async Task<ChangeAssessment> AssessAndRecordAsync(Change change, DateTimeOffset now, CancellationToken ct)
    {
        var assessment = await AssessAsync(change, now, ct);
        change.RecordAssessment(assessment.Risk.Level, assessment.Conflicts.Count, assessment.AffectedCis.Count, now);
        return assessment;
    }

    /// <summary>The change's affected CIs, including rows added or removed in this unit of work and not yet saved.</summary>
    public async Task<List<AssessedCi>> AffectedCisAsync(Change change, CancellationToken ct, Actor? viewer = null)
    {
        await db.TicketConfigurationItems.Where(x => x.TicketId == change.Id).LoadAsync(ct);
        var ids = db.TicketConfigurationItems.Local.Where(x => x.TicketId == change.Id && x.Role == TicketCiRole.Affected).Select(x => x.CiId).ToList();
        return await CisAsync(ids, viewer, ct);
    }

    private async Task<List<AssessedCi>> CisAsync(IReadOnlyCollection<long> ids, Actor? viewer, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var rows = await db.ConfigurationItems.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.ClassCode, c.Criticality, c.OwnerGroupId, c.SupportGroupId, c.Restricted }).ToListAsync(ct);
        return rows.Select(c =>
            {
                if (!c.Restricted) return new AssessedCi(c.Id, c.Name, c.ClassCode, c.Criticality, c.OwnerGroupId);
                if (viewer is null) return new AssessedCi(c.Id, ImpactedServices.Label(c.Id, c.Name, restricted: true), c.ClassCode, c.Criticality, c.OwnerGroupId);
                return viewer.MaySee(c.Restricted, c.OwnerGroupId, c.SupportGroupId)
                    ? new AssessedCi(c.Id, c.Name, c.ClassCode, c.Criticality, c.OwnerGroupId)
                    : new AssessedCi(c.Id, CmdbAccess.RestrictedName, c.ClassCode, c.Criticality, c.OwnerGroupId, Hidden: true);
            })
            .OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.Id).ToList();
    }

    private async Task<(List<AssessedCi> Services, int Impacted, ImpactResult? Walk)> BlastRadiusAsync(List<long> ids, Actor? viewer, CancellationToken ct)
    {
        if (ids.Count == 0) return ([], 0, null);
        var result = graph.Impact(ids, ImpactedServices.Depth);
        var services = new List<long>();
        for (var i = 0; i < result.Count; i++)
            if (ImpactedServices.IsService(model, result.ClassCodeAt(i))) services.Add(result.CiIdAt(i));
        return (await CisAsync(services, viewer, ct), result.Count - result.StartCount, result);
    }

    private async Task<IReadOnlyList<ChangeConflict>> ConflictsAsync(Change change, List<AssessedCi> affected, List<AssessedCi> services,
        Actor? viewer, CancellationToken ct)
    {
        if (change.PlannedStart is not { } start || change.PlannedEnd is not { } end) return [];
        var others = await ScheduledAsync(start, end, change.Id, ct);
        var plan = new PlannedChange(change.Id, start, end, affected.Select(c => new PlanCi(c.Id, c.Name, c.ClassCode)).ToList(),
            services.Select(s => s.Id).ToList(), change.ImplementerId);
        var windowsNow = await WindowsAsync(ct);
        var conflicts = ConflictDetector.Detect(plan, others, Neighbours, settings.ConflictHops, windowsNow);
        // The other changes hold hundreds of CIs; only the related ones a conflict names are read, then named.
        var related = conflicts.Where(c => c.RelatedCiId is not null).Select(c => c.RelatedCiId!.Value).Distinct().ToList();
        if (related.Count == 0) return conflicts;
        var names = (await CisAsync(related, viewer, ct)).ToDictionary(c => c.Id, c => c.Name);
        return ConflictDetector.Detect(plan, others, Neighbours, settings.ConflictHops, windowsNow, names.GetValueOrDefault);
    }

    /// <summary>The windows with their blackouts' service and CI names resolved to ids (names are few; read each time).</summary>
    public async Task<ChangeWindows> WindowsAsync(CancellationToken ct)
    {
        var names = windows.Blackouts.Where(b => b.Scope != BlackoutScope.Global).SelectMany(b => b.Names).Distinct().ToList();
        var found = await db.NamedAsync(model, names, ct);
        return windows.Resolve(
            name => found.FirstOrDefault(c => c.Name == name && ImpactedServices.IsService(model, c.ClassCode))?.Id,
            name => found.FirstOrDefault(c => c.Name == name)?.Id);
    }

    /// <summary>The CIs one relationship away, either way (hubs included: conflicts must not miss a neighbour).</summary>
    public IEnumerable<long> Neighbours(long ciId) => graph.Neighbours(ciId);

    /// <summary>The other changes holding a window that overlaps [from, to), with their affected CIs.</summary>
    public async Task<List<ScheduledChange>> ScheduledAsync(DateTimeOffset from, DateTimeOffset to, Guid? except, CancellationToken ct)
    {
        var rows = await db.Changes.AsNoTracking()
            .Where(c => c.PlannedStart < to && c.PlannedEnd > from && CalendarStates.Contains(c.State) && c.Id != except)
            .Select(c => new { c.Id, c.Number, c.ShortDescription, c.PlannedStart, c.PlannedEnd, c.ImplementerId, c.ImplementerName })
            .ToListAsync(ct);
        var changeIds = rows.Select(r => r.Id).ToList();
        var cis = (await db.TicketConfigurationItems.AsNoTracking()
                .Where(x => changeIds.Contains(x.TicketId) && x.Role == TicketCiRole.Affected)
                .Select(x => new { x.TicketId, x.CiId }).ToListAsync(ct))
            .ToLookup(x => x.TicketId, x => x.CiId);
        return rows.Select(r => new ScheduledChange(r.Id, r.Number, r.ShortDescription, r.PlannedStart!.Value, r.PlannedEnd!.Value,
            cis[r.Id].ToList(), r.ImplementerId, r.ImplementerName)).ToList();
    }

    /// <summary>Failed or backed-out changes on any of the CIs, resolved in the last <see cref="ChangeSettings.HistoryDays"/> days.</summary>
    private async Task<int> FailedChangesAsync(Change change, List<long> ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0) return 0;
        var since = now.AddDays(-settings.HistoryDays);
        var onCis = TicketsOn(ids);
        return await db.Changes.AsNoTracking()
            .Where(c => c.Id != change.Id && c.ResolutionCode != null && FailedOutcomes.Contains(c.ResolutionCode) && c.ResolvedAt >= since)
            .Where(c => onCis.Contains(c.Id))
            .CountAsync(ct);
    }

    /// <summary>Incidents opened in the history period that were caused by another change to any of the same CIs.</summary>
    private async Task<int> IncidentsCausedByChangesAsync(Change change, List<long> ids, DateTimeOffset now, CancellationToken ct)
    {
        if (ids.Count == 0) return 0;
        var since = now.AddDays(-settings.HistoryDays);
        var onCis = TicketsOn(ids);
        return await db.Incidents.AsNoTracking()
            .Where(i => i.CausedByChangeId != null && i.CausedByChangeId != change.Id && i.OpenedAt >= since)
            .Where(i => onCis.Contains(i.CausedByChangeId!.Value))
            .CountAsync(ct);
    }

    /// <summary>
    /// The tickets with any of <paramref name="ids"/> among their affected CIs, as a subquery: "Id IN (…)" worked out
    /// once, rather than a correlated EXISTS probing the CIs for every change.
    /// </summary>
    private IQueryable<Guid> TicketsOn(List<long> ids) =>
        db.TicketConfigurationItems.Where(x => x.Role == TicketCiRole.Affected && ids.Contains(x.CiId)).Select(x => x.TicketId);
}
