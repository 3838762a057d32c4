using System.Globalization;
using Itsm.Benchmarks.Cmdb;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Tickets;

namespace Itsm.Benchmarks.Changes;

/// <summary>
/// Half a year of change management on a generated estate, deterministic for a seed: changes whose planned windows
/// spread over the three months before and after now, as rows keyed by the Change entity's property names (the
/// tickets table, the way the app stores a change), their affected CIs (ticket_configuration_items) and the approvals
/// the policy of itil-processes/change-approvals.yaml would have asked for (change_approvals).
///
/// Shape: mostly normal changes, a fifth standard (a patch or an index rebuild from the catalog), a few emergencies.
/// A change works on 1-100 CIs of one class, consecutive in the estate (a patch round over a range of VMs, a release
/// of an application's components): most on one to three, about 1% on 100. Its window follows the maintenance window
/// of seed-data/reference/change-windows.yaml for its class (weekend nights for servers and databases, weekday early
/// mornings for network devices) most of the time, else evenings or office hours. Its state follows from time: past
/// windows are reviewed or closed with an outcome (a few failed or backed out), a window open now is being implemented,
/// future ones are new, being assessed, authorised or scheduled (the nearer, the further along); a few are canceled.
/// Implementers are engineers, a few of whom do most of the work.
/// </summary>
public sealed class ChangeGenerator
{
    public sealed record Generated(Guid Id, string Number, ChangeType Type, string State, DateTimeOffset Start, DateTimeOffset End, int[] Cis,
        string? ImplementerId, RiskLevel? Risk);

    public sealed record Output(
        List<Dictionary<string, object?>> Changes, List<Dictionary<string, object?>> TicketCis, List<Dictionary<string, object?>> Approvals,
        List<Generated> Generated);

    /// <summary>Who owns a class's CIs (set on the estate before the changes are made, so approvals follow).</summary>
    public static string OwnerGroupOf(byte cls) => cls switch
    {
        EstateGenerator.BusinessService or EstateGenerator.Application or EstateGenerator.Component => "Application Support",
        EstateGenerator.Database or EstateGenerator.DatabaseInstance => "Database Administration",
        EstateGenerator.NetworkDevice => "Network Operations",
        _ => "Server Operations",
    };

    private static readonly (byte Class, double Weight)[] ClassWeights =
    [
        (EstateGenerator.VirtualMachine, 35), (EstateGenerator.Component, 25), (EstateGenerator.Database, 10), (EstateGenerator.DatabaseInstance, 8),
        (EstateGenerator.HypervisorHost, 8), (EstateGenerator.Application, 5), (EstateGenerator.NetworkDevice, 3), (EstateGenerator.Cluster, 2),
        (EstateGenerator.Storage, 1), (EstateGenerator.BusinessService, 1), (EstateGenerator.Rack, 2),
    ];

    /// <summary>Classes of which a change may take 100 CIs: the ones with thousands of CIs, not the network or storage hubs (there are a handful of those).</summary>
    private static readonly (byte Class, double Weight)[] BigChangeClasses =
    [
        (EstateGenerator.VirtualMachine, 45), (EstateGenerator.Component, 30), (EstateGenerator.DatabaseInstance, 10), (EstateGenerator.Database, 10),
        (EstateGenerator.HypervisorHost, 5),
    ];

    private static readonly string[] Verbs = ["Upgrade", "Patch", "Reconfigure", "Migrate", "Resize", "Replace certificates on", "Tune", "Decommission disks of"];

    private readonly Random _r;
    private readonly EstateGenerator.Estate _e;
    private readonly Func<int, long> _ciId;
    private readonly TimeZoneInfo _berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly (int First, int Count)[] _classBlocks;

    public ChangeGenerator(EstateGenerator.Estate estate, Func<int, long> ciId, int seed)
    {
        _e = estate;
        _ciId = ciId;
        _r = new Random(seed);
        // The generator lays each class out as one block of consecutive CI numbers.
        _classBlocks = new (int, int)[EstateGenerator.ClassCodes.Length];
        for (var i = estate.CiCount - 1; i >= 0; i--) _classBlocks[estate.Class[i]] = (i, _classBlocks[estate.Class[i]].Count + 1);
    }

    /// <param name="groups">Group name → id.</param>
    /// <param name="members">Group name → its members (approvers of its approvals).</param>
    /// <param name="implementers">Engineers, most active first.</param>
    /// <param name="requesters">Who raises changes: the engineers and the change managers.</param>
    public Output Generate(int count, DateTimeOffset now, long firstNumber, IReadOnlyDictionary<string, Guid> groups,
        IReadOnlyDictionary<string, IReadOnlyList<Person>> members, IReadOnlyList<Person> implementers, IReadOnlyList<Person> requesters,
        StandardChangeCatalog catalog, PriorityMatrix matrix)
    {
        var classes = new Weighted<byte>(ClassWeights.Select(c => (c.Class, c.Weight)));
        var bigClasses = new Weighted<byte>(BigChangeClasses.Select(c => (c.Class, c.Weight)));
        var workload = Weighted<Person>.Zipf(implementers, offset: 4, exponent: 0.9);
        var raisedBy = Weighted<Person>.Zipf(requesters, offset: 6, exponent: 0.7);
        var outcomes = new Weighted<string>([("successful", 88), ("successful-with-issues", 6), ("failed", 3.5), ("backed-out", 2.5)]);
        var risks = new Weighted<RiskLevel>([(RiskLevel.Low, 55), (RiskLevel.Moderate, 30), (RiskLevel.High, 12), (RiskLevel.VeryHigh, 3)]);
        var patch = catalog.Find("os-patch-linux");
        var rebuild = catalog.Find("db-index-rebuild");

        var made = new List<(Dictionary<string, object?> Row, Generated G, Person? Implementer, Person Requester)>(count);
        var ticketCis = new List<Dictionary<string, object?>>();
        for (var n = 0; n < count; n++)
        {
            // What it works on.
            var big = _r.Chance(0.01);
            var cls = big ? bigClasses.Next(_r) : classes.Next(_r);
            var block = _classBlocks[cls];
            var k = big ? 100 : Math.Clamp(1 + (int)Math.Floor(_r.LogNormal(TimeSpan.FromTicks(1200), 1.1).Ticks / 1000.0), 1, 99);
            k = Math.Min(k, block.Count);
            var first = block.First + _r.Next(block.Count - k + 1);
            var cis = Enumerable.Range(first, k).ToArray();

            // What kind of change.
            var template = cls == EstateGenerator.VirtualMachine ? patch : cls is EstateGenerator.Database or EstateGenerator.DatabaseInstance ? rebuild : null;
            var type = template is not null && _r.Chance(0.45) ? ChangeType.Standard : _r.Chance(0.05) ? ChangeType.Emergency : ChangeType.Normal;
            if (type != ChangeType.Standard) template = null;

            // When: a day in ±3 months, the time of day from the class's maintenance window.
            var (start, end) = Window(cls, now.AddDays(-90 + 180 * _r.NextDouble()), type, template, big);
            var lead = type switch
            {
                ChangeType.Emergency => _r.LogNormal(TimeSpan.FromHours(4), 0.8),
                ChangeType.Standard => _r.LogNormal(TimeSpan.FromDays(3), 0.7),
                _ => _r.LogNormal(TimeSpan.FromDays(12), 0.6),
            };
            var opened = start - lead;
            if (opened > now) opened = now - TimeSpan.FromMinutes(_r.Next(10, 60 * 24 * 5));

            var requester = raisedBy.Next(_r);
            Person? implementer = workload.Next(_r);

            // Where it stands now.
            string state;
            string? outcome = null;
            DateTimeOffset? resolvedAt = null, closedAt = null;
            DateTimeOffset stateChanged;
            if (_r.Chance(0.04) && !(start <= now && now < end))
            {
                state = "canceled";
                closedAt = Min(now, opened + _r.LogNormal(TimeSpan.FromDays(2), 1.0));
                if (closedAt < opened) closedAt = opened.AddMinutes(5);
                stateChanged = closedAt.Value;
            }
            else if (end <= now)
            {
                outcome = outcomes.Next(_r);
                resolvedAt = end + _r.LogNormal(TimeSpan.FromMinutes(30), 0.8);
                var close = resolvedAt.Value + _r.LogNormal(TimeSpan.FromDays(2), 0.7);
                if (close <= now) { state = "closed"; closedAt = close; stateChanged = close; }
                else { state = "review"; stateChanged = Min(now, resolvedAt.Value); }
                resolvedAt = Min(now, resolvedAt.Value);
            }
            else if (start <= now)
            {
                state = "implement";
                stateChanged = start;
            }
            else
            {
                var soon = start - now < TimeSpan.FromDays(7);
                state = type switch
                {
                    ChangeType.Standard => _r.Chance(0.9) ? "scheduled" : "new",
                    ChangeType.Emergency => _r.Chance(0.5) ? "scheduled" : "authorize",
                    _ => soon
                        ? Pick(("scheduled", 80), ("authorize", 14), ("assess", 6))
                        : Pick(("scheduled", 40), ("authorize", 25), ("assess", 20), ("new", 15)),
                };
                stateChanged = opened + (now - opened) * _r.NextDouble();
            }
            if (state == "new" && _r.Chance(0.3)) implementer = null;

            var assessed = state != "new" || _r.Chance(0.5);
            RiskLevel? risk = assessed ? (type == ChangeType.Standard ? RiskLevel.Low : big && _r.Chance(0.5) ? RiskLevel.High : risks.Next(_r)) : null;
            var (impact, urgency) = (1 + _r.Next(3), type == ChangeType.Emergency ? 1 : 2 + _r.Next(2));
            var ownerGroup = OwnerGroupOf(cls);
            var shortDescription = template?.Name ?? $"{_r.Pick(Verbs)} {Describe(cis)}";
            var id = Guid.CreateVersion7(opened);

            var row = new Dictionary<string, object?>
            {
                ["Id"] = id,
                ["Kind"] = TicketKind.Change,
                ["ShortDescription"] = shortDescription.Length > Ticket.ShortDescriptionMax ? shortDescription[..Ticket.ShortDescriptionMax] : shortDescription,
                ["Description"] = template?.Description ?? $"{shortDescription}. Requested by {requester.DisplayName} for the {ownerGroup} team.",
                ["State"] = state,
                ["Impact"] = (Impact)impact,
                ["Urgency"] = (Urgency)urgency,
                ["Priority"] = matrix.PriorityOf((Impact)impact, (Urgency)urgency),
                ["PriorityOverrideReason"] = null,
                ["CategoryCode"] = null,
                ["RequesterId"] = requester.Id,
                ["RequesterName"] = requester.DisplayName,
                ["AssignmentGroupId"] = groups[ownerGroup],
                ["AssignmentGroupName"] = ownerGroup,
                ["AssigneeId"] = implementer?.Id,
                ["AssigneeName"] = implementer?.DisplayName,
                ["ReassignmentCount"] = 0,
                ["ReopenCount"] = 0,
                ["HoldReason"] = null,
                ["ResolutionCode"] = outcome,
                ["ResolutionNotes"] = outcome is null ? null : $"Outcome: {outcome}. Checked against the test plan.",
                ["CancelReason"] = state == "canceled" ? "No longer needed: replaced by another change." : null,
                ["OpenedAt"] = opened,
                ["UpdatedAt"] = Max(opened, stateChanged),
                ["ResolvedAt"] = resolvedAt,
                ["ClosedAt"] = closedAt,
                ["StateChangedAt"] = stateChanged,
                ["Version"] = 3 + _r.Next(8),
                ["Type"] = type,
                ["TemplateCode"] = template?.Code,
                ["Justification"] = "Keeps the estate supported and secure; agreed with the service owner.",
                ["ImplementationPlan"] = template?.ImplementationPlan ?? "Announce the window; apply the change CI by CI; watch the monitoring after each.",
                ["BackoutPlan"] = template?.BackoutPlan ?? "Restore the previous configuration from the snapshot taken before the change.",
                ["TestPlan"] = template?.TestPlan ?? "The service health checks answer; no new errors in the logs for 30 minutes.",
                ["PlannedStart"] = start,
                ["PlannedEnd"] = end,
                ["ImplementerId"] = implementer?.Id,
                ["ImplementerName"] = implementer?.DisplayName,
                ["Risk"] = risk,
                ["ConflictCount"] = assessed && _r.Chance(0.15) ? 1 + _r.Next(3) : 0,
                ["AffectedCiCount"] = cis.Length,
                ["AssessedAt"] = assessed ? Min(now, opened + TimeSpan.FromMinutes(_r.Next(1, 600))) : null,
                ["RiskAnswers"] = new Dictionary<string, string>(StringComparer.Ordinal),
            };
            foreach (var ci in cis)
                ticketCis.Add(new Dictionary<string, object?>
                {
                    ["TicketId"] = id, ["CiId"] = _ciId(ci), ["Role"] = TicketCiRole.Affected, ["Origin"] = TicketCiOrigin.Manual, ["Excluded"] = false,
                    ["AddedAt"] = opened, ["AddedBy"] = requester.UserName,
                });
            made.Add((row, new Generated(id, "", type, state, start, end, cis, implementer?.Id, risk), implementer, requester));
        }

        // Numbered in the order they were raised.
        made.Sort((a, b) => ((DateTimeOffset)a.Row["OpenedAt"]!).CompareTo((DateTimeOffset)b.Row["OpenedAt"]!));
        var generated = new List<Generated>(made.Count);
        var approvals = new List<Dictionary<string, object?>>();
        var number = firstNumber;
        foreach (var (row, g, implementer, requester) in made)
        {
            var text = new TicketNumber(TicketKind.Change, number++).ToString();
            row["Number"] = text;
            generated.Add(g with { Number = text });
            approvals.AddRange(Approvals(row, g, requester, implementer, groups, members, now));
        }
        return new Output(made.Select(m => m.Row).ToList(), ticketCis, approvals, generated);
    }

    /// <summary>
    /// What the policy asks of a normal or emergency change once it has reached Authorize: the owners of its CIs (and
    /// the CAB after them when its risk is high), or each member of the emergency CAB. Past Authorize they decided.
    /// </summary>
    private IEnumerable<Dictionary<string, object?>> Approvals(Dictionary<string, object?> row, Generated g, Person requester, Person? implementer,
        IReadOnlyDictionary<string, Guid> groups, IReadOnlyDictionary<string, IReadOnlyList<Person>> members, DateTimeOffset now)
    {
        if (g.Type == ChangeType.Standard || g.State is "new" or "assess") yield break;
        if (g.State == "canceled" && _r.Chance(0.5)) yield break; // canceled before it was submitted
        var pending = g.State is "authorize";
        var decided = g.State is "scheduled" or "implement" or "review" or "closed";
        var opened = (DateTimeOffset)row["OpenedAt"]!;
        var requested = Min(now, opened + _r.LogNormal(TimeSpan.FromDays(1), 0.8));
        var mayDecide = (Person p) => p.Id != requester.Id && p.Id != implementer?.Id;

        Dictionary<string, object?> Approval(int stage, string stageName, string setKey, string setLabel, string rule, ApproverKind kind, string approverId,
            string approverName, string why, ApprovalState state, Person? decider)
        {
            var decidedAt = decider is null ? (DateTimeOffset?)null : Min(now, requested + _r.LogNormal(TimeSpan.FromHours(20), 0.9));
            return new Dictionary<string, object?>
            {
                ["Id"] = Guid.CreateVersion7(requested), ["ChangeId"] = g.Id, ["Stage"] = stage, ["StageName"] = stageName, ["SetKey"] = setKey,
                ["SetLabel"] = setLabel, ["Rule"] = rule, ["Kind"] = kind, ["ApproverId"] = approverId, ["ApproverName"] = approverName,
                ["Why"] = why.Length > 4000 ? why[..3999] + "…" : why, ["State"] = state, ["CreatedAt"] = requested,
                ["RequestedAt"] = state == ApprovalState.Waiting ? null : requested, ["DecidedAt"] = decidedAt,
                ["DecidedById"] = decider?.Id, ["DecidedByName"] = decider?.DisplayName, ["OnBehalfOfId"] = null, ["OnBehalfOfName"] = null,
                ["Comment"] = decider is null ? null : "Fine from our side.", ["CanceledReason"] = state == ApprovalState.Canceled ? "The change was canceled." : null,
                ["Round"] = 1,
            };
        }

        ApprovalState StateFor(bool canceled) => pending ? ApprovalState.Requested : decided ? ApprovalState.Approved : canceled ? ApprovalState.Canceled : ApprovalState.Requested;

        if (g.Type == ChangeType.Emergency)
        {
            var ecab = members["Emergency CAB"].Where(mayDecide).ToList();
            var approver = decided && ecab.Count > 0 ? _r.Pick(ecab) : null;
            foreach (var m in ecab)
            {
                var state = pending ? ApprovalState.Requested : !decided ? ApprovalState.Canceled : m == approver ? ApprovalState.Approved : ApprovalState.Canceled;
                yield return Approval(1, "Emergency CAB approval", "ecab", "Emergency CAB", "any", ApproverKind.Person, m.Id, m.DisplayName,
                    "member of the Emergency CAB", state, state == ApprovalState.Approved ? m : null);
            }
            yield break;
        }

        // Normal: one owner group per change here (its CIs are of one class).
        var owner = OwnerGroupOf(_e.Class[g.Cis[0]]);
        var names = string.Join(", ", g.Cis.Select(_e.Name));
        var ownerMembers = members[owner].Where(mayDecide).ToList();
        var ownerState = StateFor(canceled: true);
        yield return Approval(1, "Owner approval", "ci-owners", "Owners of the affected CIs", "all", ApproverKind.Group, groups[owner].ToString("D"), owner,
            "owns " + names, ownerState, ownerState == ApprovalState.Approved && ownerMembers.Count > 0 ? _r.Pick(ownerMembers) : null);
        if (g.Risk is RiskLevel.High or RiskLevel.VeryHigh)
            foreach (var m in members["Change Advisory Board"].Where(mayDecide))
            {
                var state = pending ? ApprovalState.Waiting : decided ? ApprovalState.Approved : ApprovalState.Canceled;
                yield return Approval(2, "CAB approval", "cab", "Change Advisory Board", "50%", ApproverKind.Person, m.Id, m.DisplayName,
                    "member of the Change Advisory Board", state, state == ApprovalState.Approved ? m : null);
            }
    }

    /// <summary>The planned window: in the class's maintenance window most of the time (change-windows.yaml), else evenings or office hours.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) Window(byte cls, DateTimeOffset day, ChangeType type, StandardChangeTemplate? template, bool big)
    {
        var local = TimeZoneInfo.ConvertTime(day, _berlin).Date;
        var duration = template?.Duration ?? (big ? _r.LogNormal(TimeSpan.FromHours(4), 0.3) : _r.LogNormal(TimeSpan.FromHours(2), 0.6));
        duration = TimeSpan.FromMinutes(Math.Clamp(Math.Round(duration.TotalMinutes / 15) * 15, 30, 3 * 24 * 60));
        if (type == ChangeType.Emergency)
        {
            var s = day.AddMinutes(-day.Minute % 15);
            return (Seconds(s), Seconds(s + duration));
        }
        DateTimeOffset start;
        var weekendNights = cls is EstateGenerator.VirtualMachine or EstateGenerator.HypervisorHost or EstateGenerator.Database or EstateGenerator.DatabaseInstance;
        if (weekendNights && _r.Chance(0.85))
        {
            while (local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) local = local.AddDays(1);
            start = Berlin(local, 22, 30 * _r.Next(5));
            // Mostly inside the six hours.
            var windowEnd = Berlin(local, 22, 0).AddHours(6);
            if (start + duration > windowEnd && _r.Chance(0.9)) duration = windowEnd - start;
        }
        else if (cls == EstateGenerator.NetworkDevice && _r.Chance(0.85))
        {
            while (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) local = local.AddDays(1);
            start = Berlin(local, 5, 15 * _r.Next(3));
            var windowEnd = Berlin(local, 7, 0);
            if (start + duration > windowEnd && _r.Chance(0.9)) duration = windowEnd - start;
        }
        else start = _r.Chance(0.6) ? Berlin(local, 18 + _r.Next(5), 30 * _r.Next(2)) : Berlin(local, 9 + _r.Next(8), 30 * _r.Next(2));
        return (Seconds(start), Seconds(start + duration));
    }

    private DateTimeOffset Berlin(DateTime date, int hour, int minute)
    {
        var local = date.Date.AddHours(hour).AddMinutes(minute);
        return new DateTimeOffset(local, _berlin.GetUtcOffset(local)).ToUniversalTime();
    }

    private string Describe(int[] cis) => cis.Length == 1 ? _e.Name(cis[0])
        : $"{_e.Name(cis[0])} … {_e.Name(cis[^1])} ({cis.Length.ToString(CultureInfo.InvariantCulture)} {EstateGenerator.ClassCodes[_e.Class[cis[0]]]}s)";

    private string Pick(params (string Item, double Weight)[] items) => new Weighted<string>(items).Next(_r);

    /// <summary>As the app stores planned times: to the second.</summary>
    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
