using System.Globalization;
using Bogus;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Benchmarks;

public sealed record Person(string Id, string UserName, string DisplayName);

/// <summary>The reference data the app has after start-up (groups, categories, demo accounts), read back from its database.</summary>
public sealed record DeskReference(
    IReadOnlyList<(Guid Id, string Name, IReadOnlyList<string> MemberIds)> Groups,
    IReadOnlyDictionary<string, Guid?> CategoryGroups,
    IReadOnlyList<(Person Person, IReadOnlyList<string> Roles)> Users,
    ProcessDefinition Process,
    long NextNumber);

/// <summary>
/// Generates a year of a service desk's incidents with a realistic shape, for the queue benchmark.
///
/// The spreads follow the audit log of a real ServiceNow desk (UCI data set 498, Amaral et al. 2018,
/// DOI 10.24432/C57S4H, CC BY 4.0; read from /work/shared/data, not copied): incidents opened mostly on
/// weekdays and in office hours; a few callers raise many tickets and most raise one or two; a few agents
/// carry most of the work; half the incidents are never reassigned. States follow from time: every incident
/// gets a pick-up delay, a resolution time (log-normal, by priority), sometimes a hold, and closes 7 days after
/// resolution (the reopen window); so the open backlog is mostly recent, with a long tail of stale tickets.
/// Deterministic for a given seed.
/// </summary>
public sealed class DeskGenerator
{
    // Share of incidents opened per weekday (Sunday first) and hour, from the UCI log.
    private static readonly double[] WeekdayWeights = [325, 3916, 3296, 3458, 2954, 2747, 440];
    private static readonly double[] HourWeights =
        [172, 145, 105, 84, 76, 74, 229, 426, 1652, 2129, 2010, 1721, 891, 1193, 1604, 1510, 1327, 780, 322, 177, 150, 144, 109, 106];
    // Reassignment counts 0..7 of closed incidents, from the UCI log (per cent).
    private static readonly double[] ReassignmentWeights = [51.3, 26.3, 9.5, 5.5, 3.1, 1.7, 0.9, 0.7];
    // Impact × urgency pairs: most incidents are medium/low; priority then comes from the app's own matrix.
    private static readonly (int Impact, int Urgency, double Weight)[] ImpactUrgency =
        [(1, 1, 1.0), (1, 2, 1.5), (2, 1, 2.5), (1, 3, 0.5), (2, 2, 45), (3, 1, 3), (2, 3, 12), (3, 2, 20), (3, 3, 14.5)];
    private static readonly (string Category, double Weight)[] CategoryWeights =
        [("access", 21), ("software", 20), ("hardware", 18), ("network", 12), ("email", 10), ("inquiry", 9), ("server", 5), ("database", 4), ("", 4)];
    // Agents per group besides the demo accounts (a desk that takes ~100,000 incidents a year).
    private static readonly Dictionary<string, int> TeamSizes = new()
    {
        ["Service Desk"] = 16, ["Network Operations"] = 6, ["Server Operations"] = 6, ["Database Administration"] = 4,
        ["End User Computing"] = 10, ["Identity and Access"] = 6, ["Application Support"] = 9,
    };

    private readonly Random _random;
    private readonly Faker _faker;
    private readonly DeskReference _reference;
    private readonly IncidentText _text;
    private readonly HashSet<string> _userNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly Weighted<(int, int)> _impactUrgency = new(ImpactUrgency.Select(x => ((x.Impact, x.Urgency), x.Weight)));
    private readonly Weighted<string> _bodyCategories;

    public DeskGenerator(DeskReference reference, int seed)
    {
        _reference = reference;
        _random = new Random(seed);
        _faker = new Faker("en") { Random = new Randomizer(seed) };
        _text = new IncidentText(_random);
        foreach (var (p, _) in reference.Users) _userNames.Add(p.UserName);
        _bodyCategories = new Weighted<string>(CategoryWeights.Where(c => c.Category.Length > 0 && reference.CategoryGroups.ContainsKey(c.Category)));
    }

    /// <summary>Synthetic colleagues (agents in every group, employees who call the desk) to add as accounts.</summary>
    public List<(Person Person, string Role)> NewUsers { get; } = [];
    public List<(Guid GroupId, string UserId)> NewMemberships { get; } = [];

    public sealed record Desk(
        IReadOnlyDictionary<Guid, (string Name, Weighted<Person> Workload, IReadOnlyList<Person> Members)> Groups,
        Weighted<Person> Callers,
        Guid ServiceDesk);

    /// <summary>Makes the people: the demo "agent" is a busy member of their groups, the demo "requester" a frequent caller.</summary>
    public Desk MakePeople(int callerCount)
    {
        var demo = _reference.Users.ToDictionary(u => u.Person.Id);
        var groups = new Dictionary<Guid, (string, Weighted<Person>, IReadOnlyList<Person>)>();
        foreach (var (id, name, memberIds) in _reference.Groups)
        {
            var demoMembers = memberIds.Where(demo.ContainsKey).Select(m => demo[m].Person).ToList();
            var synthetic = new List<Person>();
            for (var i = 0; i < TeamSizes.GetValueOrDefault(name, 5); i++)
            {
                var p = NewPerson();
                NewUsers.Add((p, "Agent"));
                NewMemberships.Add((id, p.Id));
                synthetic.Add(p);
            }
            // Ranked by workload: two of the team, the demo agent (busy, not the busiest), the rest of the team, then
            // the other demo accounts (admin, managers), who rarely take incidents.
            var ranked = synthetic.Take(2)
                .Concat(demoMembers.Where(p => p.UserName == "agent"))
                .Concat(synthetic.Skip(2))
                .Concat(demoMembers.Where(p => p.UserName != "agent")).ToList();
            groups[id] = (name, Weighted<Person>.Zipf(ranked, offset: 3, exponent: 0.8), ranked);
        }

        var callers = new List<Person>(callerCount);
        for (var i = 0; i < callerCount; i++)
        {
            var p = NewPerson();
            NewUsers.Add((p, "Requester"));
            callers.Add(p);
        }
        // Demo requesters at fixed ranks: "requester" is a frequent caller, the others ordinary ones.
        var ranks = new[] { 4, 60, 300, 1500 };
        var demoRequesters = _reference.Users.Where(u => u.Roles.Contains("Requester")).Select(u => u.Person)
            .OrderBy(p => p.UserName == "requester" ? 0 : 1).ThenBy(p => p.UserName, StringComparer.Ordinal).ToList();
        for (var i = 0; i < demoRequesters.Count; i++)
            callers.Insert(Math.Min(i < ranks.Length ? ranks[i] : callers.Count, callers.Count), demoRequesters[i]);
        var serviceDesk = _reference.Groups.FirstOrDefault(g => g.Name == "Service Desk").Id;
        if (serviceDesk == Guid.Empty) serviceDesk = _reference.Groups[0].Id;
        return new Desk(groups, Weighted<Person>.Zipf(callers, offset: 20), serviceDesk);
    }

    private Person NewPerson()
    {
        var first = _faker.Name.FirstName();
        var last = _faker.Name.LastName();
        var userName = $"{first}.{last}".ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        var candidate = userName;
        for (var n = 2; !_userNames.Add(candidate); n++) candidate = userName + n.ToString(CultureInfo.InvariantCulture);
        return new Person(Guid.NewGuid().ToString(), candidate, $"{first} {last}");
    }

    /// <summary>
    /// One year of incidents up to <paramref name="now"/>, as rows keyed by the Incident entity's property names,
    /// numbered in the order they were opened.
    /// </summary>
    public List<Dictionary<string, object?>> MakeIncidents(Desk desk, int count, DateTimeOffset now)
    {
        var process = _reference.Process;
        string StateId(string id) => process.States.Any(s => s.Id == id) ? id
            : throw new InvalidOperationException($"The incident process has no state '{id}'; update {nameof(DeskGenerator)} to the new lifecycle.");
        var (sNew, sProgress, sHold, sResolved, sClosed, sCanceled) =
            (StateId("new"), StateId("in-progress"), StateId("on-hold"), StateId("resolved"), StateId("closed"), StateId("canceled"));

        var yearStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-364);
        var days = new Weighted<int>(Enumerable.Range(0, 365).Select(d => (d, WeekdayWeights[(int)yearStart.AddDays(d).DayOfWeek])));
        var hours = new Weighted<int>(HourWeights.Select((w, h) => (h, w)));
        var categories = new Weighted<string>(CategoryWeights.Where(c => c.Category == "" || _reference.CategoryGroups.ContainsKey(c.Category)));
        var reassignments = new Weighted<int>(ReassignmentWeights.Select((w, n) => (n, w)));
        var holdReasons = process.HoldReasons.Select(h => h.Id).ToList();
        var resolutionCodes = new Weighted<string>(process.ResolutionCodes.Select((c, i) => (c.Id, i switch { 0 => 45.0, 1 => 35.0, 2 => 8.0, _ => 3.0 })));
        var reopenDays = process.ReopenWindowDays;

        var rows = new List<Dictionary<string, object?>>(count);
        for (var n = 0; n < count; n++)
        {
            DateTimeOffset opened;
            do opened = yearStart.AddDays(days.Next(_random)).AddHours(hours.Next(_random)).AddSeconds(_random.Next(3600));
            while (opened >= now);

            var (impact, urgency) = _impactUrgency.Next(_random);
            var priority = process.PriorityMatrix.PriorityOf((Impact)impact, (Urgency)urgency);
            var category = categories.Next(_random);
            var caller = desk.Callers.Next(_random);
            var shortDescription = _text.ShortDescription(category, caller.DisplayName);

            // When things happen (some of them after now: then the incident is still at that step).
            var p = (int)priority;
            var pickUp = opened + _random.LogNormal(TimeSpan.FromMinutes(p switch { 1 => 10, 2 => 30, 3 => 180, _ => 480 }), p <= 2 ? 1.3 : 1.8);
            var resolveAfter = _random.LogNormal(TimeSpan.FromHours(p switch { 1 => 5, 2 => 16, 3 => 40, _ => 70 }), p <= 2 ? 1.3 : 1.7);
            var resolved = Max(pickUp.AddMinutes(5), opened + resolveAfter);
            DateTimeOffset? holdStart = null, holdEnd = null;
            if (_random.Chance(0.15))
            {
                holdStart = pickUp + (resolved - pickUp) * _random.NextDouble();
                holdEnd = holdStart + _random.LogNormal(TimeSpan.FromDays(5), 1.0);
                resolved += holdEnd.Value - holdStart.Value;
            }
            var reopened = _random.Chance(0.012);
            if (reopened) resolved += _random.LogNormal(TimeSpan.FromDays(2), 0.8);
            var closed = _random.Chance(0.3) ? resolved + TimeSpan.FromDays(reopenDays) * _random.NextDouble() : resolved.AddDays(reopenDays);
            DateTimeOffset? canceled = _random.Chance(0.03) ? opened + _random.LogNormal(TimeSpan.FromHours(2), 1.5) : null;

            // Where it is routed (the category's rule), and who ends up with it: half are solved where they land.
            var routed = _reference.CategoryGroups.GetValueOrDefault(category);
            var finalGroup = routed is { } r && _random.Chance(0.55) ? r : desk.ServiceDesk;
            var reassigned = finalGroup == routed || routed is null ? reassignments.Next(_random) : Math.Max(1, reassignments.Next(_random));
            Guid? groupId = finalGroup;
            Person? assignee = desk.Groups[finalGroup].Workload.Next(_random);

            string state;
            DateTimeOffset updated;
            DateTimeOffset? resolvedAt = null, closedAt = null;
            if (canceled is { } c && c <= now)
            {
                state = sCanceled;
                updated = c;
                closedAt = c;
                if (c < pickUp) (groupId, assignee) = (routed, null);
            }
            else if (now < pickUp)
            {
                // Not picked up yet: in the group the category's rule routed it to (none without a category).
                state = sNew;
                updated = opened;
                (groupId, assignee) = (routed, null);
            }
            else if (now < resolved)
            {
                var onHold = holdStart <= now && now < holdEnd;
                state = onHold ? sHold : sProgress;
                var lastEvent = onHold ? holdStart!.Value : holdEnd is { } he && he <= now ? he : pickUp;
                updated = lastEvent + (now - lastEvent) * (_random.NextDouble() * 0.5);
            }
            else
            {
                resolvedAt = resolved;
                if (now < closed) { state = sResolved; updated = resolved; }
                else { state = sClosed; updated = closed; closedAt = closed; }
            }
            var assigned = assignee is not null;
            var version = 1 + (groupId is null ? 0 : 1) + (assigned ? 2 + reassigned : 0) + (holdStart <= now ? 2 : 0)
                          + (resolvedAt is null ? 0 : 1) + (state == sClosed ? 1 : 0) + _random.Next(4);

            rows.Add(new Dictionary<string, object?>
            {
                ["Id"] = Guid.NewGuid(),
                ["Kind"] = TicketKind.Incident,
                ["ShortDescription"] = shortDescription,
                ["Description"] = _text.Description(shortDescription, caller.DisplayName),
                ["State"] = state,
                ["Impact"] = (Impact)impact,
                ["Urgency"] = (Urgency)urgency,
                ["Priority"] = priority,
                ["PriorityOverrideReason"] = null,
                ["CategoryCode"] = category.Length == 0 ? null : category,
                ["RequesterId"] = caller.Id,
                ["RequesterName"] = caller.DisplayName,
                ["AssignmentGroupId"] = groupId,
                ["AssignmentGroupName"] = groupId is { } g ? desk.Groups[g].Name : null,
                ["AssigneeId"] = assignee?.Id,
                ["AssigneeName"] = assignee?.DisplayName,
                ["ReassignmentCount"] = assigned ? reassigned : 0,
                ["ReopenCount"] = reopened && resolvedAt is not null ? 1 : 0,
                ["HoldReason"] = state == sHold ? _random.Pick(holdReasons) : null,
                ["ResolutionCode"] = resolvedAt is null ? null : resolutionCodes.Next(_random),
                ["ResolutionNotes"] = resolvedAt is null ? null : "Resolved: " + shortDescription.ToLowerInvariant() + ". Confirmed with the caller.",
                ["CancelReason"] = state == sCanceled ? "Duplicate of another report." : null,
                ["OpenedAt"] = opened,
                ["UpdatedAt"] = updated,
                ["ResolvedAt"] = resolvedAt,
                ["ClosedAt"] = closedAt,
                ["Version"] = version,
                ["ParentIncidentId"] = null,
                ["ParentIncidentNumber"] = null,
            });
        }

        rows.Sort((a, b) => ((DateTimeOffset)a["OpenedAt"]!).CompareTo((DateTimeOffset)b["OpenedAt"]!));
        var next = _reference.NextNumber;
        foreach (var row in rows) row["Number"] = new TicketNumber(TicketKind.Incident, next++).ToString();
        return rows;
    }

    /// <summary>Request bodies for POST /api/v1/incidents as a portal user writes them.</summary>
    public string RequesterBody(Person caller)
    {
        var (impact, urgency) = _impactUrgency.Next(_random);
        var category = _bodyCategories.Next(_random);
        var sd = _text.ShortDescription(category, caller.DisplayName);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            shortDescription = sd,
            description = _text.Description(sd, caller.DisplayName),
            impact,
            urgency,
            category,
        });
    }

    /// <summary>
    /// Request bodies as the service desk writes them on the phone: for a caller, and one in four taken at once
    /// (assigned to the agent in the Service Desk group).
    /// </summary>
    public string AgentBody(Person caller, Person agent, Guid serviceDesk)
    {
        var (impact, urgency) = _impactUrgency.Next(_random);
        var category = _bodyCategories.Next(_random);
        var sd = _text.ShortDescription(category, caller.DisplayName);
        var description = _text.Description(sd, caller.DisplayName);
        return _random.Chance(0.25)
            ? System.Text.Json.JsonSerializer.Serialize(new { shortDescription = sd, description, impact, urgency, category, caller = caller.UserName, assignmentGroupId = serviceDesk, assigneeId = agent.Id })
            : System.Text.Json.JsonSerializer.Serialize(new { shortDescription = sd, description, impact, urgency, category, caller = caller.UserName });
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
