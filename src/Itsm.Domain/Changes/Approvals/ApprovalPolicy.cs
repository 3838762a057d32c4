using System.Globalization;
using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Approvals;

/// <summary>Which matching decisions apply.</summary>
public enum ApprovalPolicyMode
{
    /// <summary>Only the first decision that matches.</summary>
    FirstMatch,
    /// <summary>Every decision that matches; their stages are merged by stage order.</summary>
    AllMatches,
}

/// <summary>Where a set's approvers come from.</summary>
public enum ApproverSource
{
    /// <summary>The owner groups of the affected CIs.</summary>
    CiOwners,
    /// <summary>The owner groups of every impacted business service.</summary>
    ServiceOwners,
    /// <summary>The members of the Change Advisory Board.</summary>
    Cab,
    /// <summary>The members of the emergency CAB.</summary>
    EmergencyCab,
    /// <summary>A group named in the policy: as one approver, or each member.</summary>
    Group,
    /// <summary>A person named in the policy, by user name.</summary>
    Person,
}

/// <summary>
/// When a decision applies. Every condition given must hold; none given means always.
/// Lists match any of their items.
/// </summary>
public sealed record ApprovalCondition
{
    public static ApprovalCondition Always { get; } = new();

    /// <summary>The change's type is one of these.</summary>
    public IReadOnlyList<ChangeType>? Types { get; init; }

    /// <summary>The change's risk is at least this.</summary>
    public RiskLevel? RiskAtLeast { get; init; }

    /// <summary>The change's risk is at most this.</summary>
    public RiskLevel? RiskAtMost { get; init; }

    /// <summary>The most critical impacted business service has criticality N or more critical (1 = most critical).</summary>
    public int? ServiceCriticalityAtMost { get; init; }

    /// <summary>Some affected CI is of one of these classes.</summary>
    public IReadOnlyList<string>? CiClasses { get; init; }

    public bool IsAlways => Types is null && RiskAtLeast is null && RiskAtMost is null && ServiceCriticalityAtMost is null && CiClasses is null;

    /// <summary>Whether the facts meet every condition; <paramref name="reasons"/> says, for people, what held.</summary>
    public bool Matches(ApprovalFacts facts, out IReadOnlyList<string> reasons)
    {
        var held = new List<string>();
        reasons = held;
        if (IsAlways)
        {
            held.Add("it applies to every change");
            return true;
        }
        if (Types is not null)
        {
            if (!Types.Contains(facts.Type)) return false;
            held.Add($"the type is {facts.Type}");
        }
        if (RiskAtLeast is { } least)
        {
            if (facts.Risk < least) return false;
            held.Add($"risk {facts.Risk.Label()} is at least {least.Label()}");
        }
        if (RiskAtMost is { } most)
        {
            if (facts.Risk > most) return false;
            held.Add($"risk {facts.Risk.Label()} is at most {most.Label()}");
        }
        if (ServiceCriticalityAtMost is { } critical)
        {
            var top = facts.ImpactedServices.Where(s => s.Criticality <= critical).MinBy(s => s.Criticality);
            if (top is null) return false;
            held.Add($"impacted service {top.Name} has criticality {top.Criticality.ToString(CultureInfo.InvariantCulture)}");
        }
        if (CiClasses is not null)
        {
            var ci = facts.Cis.FirstOrDefault(c => CiClasses.Contains(c.ClassCode, StringComparer.OrdinalIgnoreCase));
            if (ci is null) return false;
            held.Add($"{ci.Name} is a {ci.ClassCode}");
        }
        return true;
    }
}

/// <summary>A policy entry: when <see cref="When"/> holds, the change needs the approvals of <see cref="Definition"/>
/// (or none, when it is <see cref="ApprovalPolicy.NoApproval"/>).</summary>
public sealed record ApprovalDecision(string Name, ApprovalCondition When, string Definition);

/// <summary>A named approval: ordered stages.</summary>
public sealed record ApprovalDefinition(string Id, IReadOnlyList<ApprovalStageDefinition> Stages);

public sealed record ApprovalStageDefinition(string Name, IReadOnlyList<ApproverSetDefinition> Sets);

/// <summary>
/// One approver set of a stage. <see cref="Name"/> is the group name or user name for the
/// <see cref="ApproverSource.Group"/> and <see cref="ApproverSource.Person"/> sources; <see cref="AsMembers"/>
/// asks each member of a named group instead of the group.
/// </summary>
public sealed record ApproverSetDefinition(ApproverSource Source, ApprovalRule Rule, string? Name = null, bool AsMembers = false)
{
    /// <summary>The stable key of the set (the form change-approvals.yaml writes it in).</summary>
    public string Key => Source switch
    {
        ApproverSource.CiOwners => "ci-owners",
        ApproverSource.ServiceOwners => "service-owners",
        ApproverSource.Cab => "cab",
        ApproverSource.EmergencyCab => "ecab",
        ApproverSource.Group => "group:" + Name,
        _ => "person:" + Name,
    };
}

/// <summary>
/// The change approval policy of itil-processes/change-approvals.yaml: decisions (a condition and an approval
/// definition) and the definitions' stages of approver sets, drawn from the CMDB graph when a change is planned.
/// </summary>
public sealed class ApprovalPolicy
{
    /// <summary>The definition a decision names when the change needs no approval.</summary>
    public const string NoApproval = "none";

    private readonly Dictionary<string, ApprovalDefinition> _definitions;

    public ApprovalPolicy(ApprovalPolicyMode mode, IReadOnlyList<ApprovalDecision> decisions, IReadOnlyList<ApprovalDefinition> definitions,
        string cabGroup, string emergencyCabGroup, string fallbackGroup)
    {
        _definitions = definitions.ToDictionary(d => d.Id, StringComparer.Ordinal);
        foreach (var d in decisions.Where(d => d.Definition != NoApproval && !_definitions.ContainsKey(d.Definition)))
            throw new ArgumentException($"Decision '{d.Name}' names the unknown approval definition '{d.Definition}'.", nameof(decisions));
        foreach (var d in definitions.Where(d => d.Stages.Count == 0 || d.Stages.Any(s => s.Sets.Count == 0)))
            throw new ArgumentException($"Approval definition '{d.Id}' has no stages or a stage without sets.", nameof(definitions));
        if (string.IsNullOrWhiteSpace(fallbackGroup)) throw new ArgumentException("The policy needs a fallback group.", nameof(fallbackGroup));
        Mode = mode;
        Decisions = decisions;
        Definitions = definitions;
        CabGroup = cabGroup;
        EmergencyCabGroup = emergencyCabGroup;
        FallbackGroup = fallbackGroup;
    }

    public ApprovalPolicyMode Mode { get; }
    public IReadOnlyList<ApprovalDecision> Decisions { get; }
    public IReadOnlyList<ApprovalDefinition> Definitions { get; }

    /// <summary>The group whose members form the Change Advisory Board.</summary>
    public string CabGroup { get; }

    /// <summary>The group whose members form the emergency CAB.</summary>
    public string EmergencyCabGroup { get; }

    /// <summary>The group that approves instead when a set would be empty (or no decision matches), so nothing passes unseen.</summary>
    public string FallbackGroup { get; }

    /// <summary>
    /// The approvals the change needs. Throws <see cref="BusinessRuleException"/> (<c>approval-fallback-missing</c>) when a set
    /// falls back and the fallback group does not exist: the change must not pass without approval. When none of the fallback
    /// group's members may decide, the plan names the <see cref="ApprovalPlan.Blocker"/> (approvals will not start on it).
    /// </summary>
    public ApprovalPlan Plan(ApprovalFacts facts, IApproverDirectory directory)
    {
        var explanation = new List<string>();
        var matched = new List<ApprovalDefinition>();
        foreach (var decision in Decisions)
        {
            if (!decision.When.Matches(facts, out var reasons)) continue;
            var then = decision.Definition == NoApproval ? "no approval is needed" : $"approval '{decision.Definition}' applies";
            explanation.Add($"Decision '{decision.Name}' matches ({string.Join("; ", reasons)}): {then}.");
            if (decision.Definition != NoApproval && matched.All(m => m.Id != decision.Definition))
                matched.Add(_definitions[decision.Definition]);
            if (Mode == ApprovalPolicyMode.FirstMatch) break;
        }

        var stages = new List<StageBuilder>();
        if (explanation.Count == 0)
        {
            // A change no decision covers is not waved through: the fallback group decides.
            explanation.Add($"No decision of the policy matches: {FallbackGroup} approves.");
            var stage = new StageBuilder(1, "Approval");
            var set = stage.Set("fallback", FallbackGroup, ApprovalRule.Any);
            set.Add(Fallback(directory, facts, "no decision of the approval policy matches the change"));
            stages.Add(stage);
        }
        foreach (var definition in matched)
        {
            for (var i = 0; i < definition.Stages.Count; i++)
            {
                var stageDef = definition.Stages[i];
                if (stages.Count <= i) stages.Add(new StageBuilder(i + 1, stageDef.Name));
                var stage = stages[i];
                foreach (var setDef in stageDef.Sets)
                {
                    var (label, approvers) = Draw(setDef, facts, directory, explanation);
                    stage.Set(setDef.Key, label, setDef.Rule).AddRange(approvers);
                }
            }
        }
        var built = stages.Select(s => s.Build()).ToList();
        return new ApprovalPlan(built, explanation, Blocker(built, facts, directory));
    }

    private (string Label, List<PlannedApprover> Approvers) Draw(ApproverSetDefinition set, ApprovalFacts facts, IApproverDirectory directory, List<string> explanation)
    {
        switch (set.Source)
        {
            case ApproverSource.CiOwners:
                return ("Owners of the affected CIs", Owners(facts.Cis, facts, directory, explanation, "none of the affected CIs has a known owner group"));
            case ApproverSource.ServiceOwners:
                return ("Owners of the impacted business services",
                    Owners(facts.ImpactedServices, facts, directory, explanation,
                        facts.ImpactedServices.Count == 0 ? "the change impacts no business service" : "no impacted business service has a known owner group"));
            case ApproverSource.Cab:
                return (CabGroup, Members(CabGroup, facts, directory, explanation));
            case ApproverSource.EmergencyCab:
                return (EmergencyCabGroup, Members(EmergencyCabGroup, facts, directory, explanation));
            case ApproverSource.Group when set.AsMembers:
                return (set.Name!, Members(set.Name!, facts, directory, explanation));
            case ApproverSource.Group:
            {
                var group = directory.GroupByName(set.Name!);
                return (set.Name!, group is null
                    ? [Fallback(directory, facts, $"the group '{set.Name}' does not exist")]
                    : NoneMayDecide(group, facts) is { } why ? [Fallback(directory, facts, $"the group {group.Name} is named, but {why}")]
                    : [new PlannedApprover(ApproverKind.Group, Id(group.Id), group.Name, "named in the approval policy")]);
            }
            default:
            {
                var person = directory.PersonByUserName(set.Name!);
                return (person?.DisplayName ?? set.Name!, person is null ? [Fallback(directory, facts, $"'{set.Name}' is not a known user")]
                    : facts.IsOwnChange(person.UserId) ? [Fallback(directory, facts, $"{person.DisplayName} requested or implements the change")]
                    : [new PlannedApprover(ApproverKind.Person, person.UserId, person.DisplayName, "named in the approval policy")]);
            }
        }
    }

    /// <summary>
    /// Why nobody in the group may decide its approval (it has no members, or only the change's requester and implementer),
    /// or null: such a group would hold the change in Authorize for ever, so the fallback group is asked instead.
    /// </summary>
    private static string? NoneMayDecide(ApproverGroup group, ApprovalFacts facts) =>
        group.Members.Count == 0 ? "it has no members"
        : group.Members.All(m => facts.IsOwnChange(m.UserId)) ? "its only members requested or implement the change"
        : null;

    /// <summary>One group approver per distinct owner group, naming what it owns; a group none of whose members may decide is replaced by the fallback group.</summary>
    private List<PlannedApprover> Owners(IReadOnlyList<ApprovalCi> cis, ApprovalFacts facts, IApproverDirectory directory, List<string> explanation, string whenEmpty)
    {
        // Groups in the order their first CI comes; each group's CIs once, in order (a hub change reaches a thousand services).
        var owned = new Dictionary<Guid, (ApproverGroup Group, List<string> Cis, HashSet<string> Seen)>();
        foreach (var ci in cis)
        {
            if (ci.OwnerGroupId is not { } groupId) continue;
            var group = directory.GroupById(groupId);
            if (group is null)
            {
                Explain(explanation, $"{ci.Name}'s owner group {Id(groupId)} does not exist; it is treated as having no owner.");
                continue;
            }
            if (!owned.TryGetValue(group.Id, out var entry)) owned[group.Id] = entry = (group, [], new HashSet<string>(StringComparer.Ordinal));
            if (entry.Seen.Add(ci.Name)) entry.Cis.Add(ci.Name);
        }
        if (owned.Count == 0) return [Fallback(directory, facts, whenEmpty)];
        return owned.Values.Select(o => NoneMayDecide(o.Group, facts) is { } why
                ? Fallback(directory, facts, $"{o.Group.Name} owns {Names(o.Cis)}, but {why}")
                : new PlannedApprover(ApproverKind.Group, Id(o.Group.Id), o.Group.Name, "owns " + Names(o.Cis)))
            .ToList();
    }

    /// <summary>The CIs a group owns as the reason it is asked: the first few by name, then how many more.</summary>
    private static string Names(List<string> cis) =>
        cis.Count <= NamedOwnedCis ? string.Join(", ", cis) : $"{string.Join(", ", cis.Take(NamedOwnedCis))} and {cis.Count - NamedOwnedCis} more";

    private const int NamedOwnedCis = 10;

    /// <summary>One person approver per member of the named group, leaving out the change's requester and implementer.</summary>
    private List<PlannedApprover> Members(string groupName, ApprovalFacts facts, IApproverDirectory directory, List<string> explanation)
    {
        var group = directory.GroupByName(groupName);
        if (group is null) return [Fallback(directory, facts, $"the group '{groupName}' does not exist")];
        if (group.Members.Count == 0) return [Fallback(directory, facts, $"the group '{groupName}' has no members")];
        var members = new List<PlannedApprover>();
        foreach (var m in group.Members)
        {
            if (facts.IsOwnChange(m.UserId)) Explain(explanation, $"{m.DisplayName} is not asked for {group.Name}: nobody approves their own change.");
            else members.Add(new PlannedApprover(ApproverKind.Person, m.UserId, m.DisplayName, "member of " + group.Name));
        }
        return members.Count > 0 ? members : [Fallback(directory, facts, $"no member of '{groupName}' but the change's own requester or implementer")];
    }

    private static void Explain(List<string> explanation, string line)
    {
        if (!explanation.Contains(line)) explanation.Add(line);
    }

    private PlannedApprover Fallback(IApproverDirectory directory, ApprovalFacts facts, string problem)
    {
        var group = directory.GroupByName(FallbackGroup)
            ?? throw new BusinessRuleException("approval-fallback-missing",
                $"The approval policy needs its fallback group '{FallbackGroup}' because {problem}, but the group does not exist. Create it or correct change-approvals.yaml.");
        return new PlannedApprover(ApproverKind.Group, Id(group.Id), group.Name, $"fallback: {problem}, so {group.Name} approves instead", problem);
    }

    /// <summary>A fallback nobody may decide would hold the change in Authorize for ever: the plan says so, and approvals refuse to start on it.</summary>
    private string? Blocker(IReadOnlyList<PlannedStage> stages, ApprovalFacts facts, IApproverDirectory directory)
    {
        var problem = stages.SelectMany(s => s.Sets).SelectMany(s => s.Approvers).Select(a => a.FallbackFor).FirstOrDefault(p => p is not null);
        if (problem is null || directory.GroupByName(FallbackGroup) is not { } group || NoneMayDecide(group, facts) is not { } why) return null;
        return $"The approval policy needs its fallback group {group.Name} because {problem}, but {why}. "
            + $"Add another member to {group.Name} or name another implementer.";
    }

    private static string Id(Guid id) => id.ToString("D");

    /// <summary>A stage being merged from the matched definitions: sets by key, approvers de-duplicated within a set.</summary>
    private sealed class StageBuilder(int order, string name)
    {
        private readonly List<SetBuilder> _sets = [];

        public SetBuilder Set(string key, string label, ApprovalRule rule)
        {
            var set = _sets.FirstOrDefault(s => s.Key == key);
            if (set is null) _sets.Add(set = new SetBuilder(key, label, rule));
            else set.Rules.Add(rule);
            return set;
        }

        public PlannedStage Build() => new(order, name, _sets.Select(s => s.Build()).ToList());
    }

    private sealed class SetBuilder(string key, string label, ApprovalRule rule)
    {
        private readonly List<PlannedApprover> _approvers = [];

        public string Key { get; } = key;
        public List<ApprovalRule> Rules { get; } = [rule];

        public void Add(PlannedApprover approver)
        {
            if (!_approvers.Any(a => a.Kind == approver.Kind && a.Id == approver.Id)) _approvers.Add(approver);
        }

        public void AddRange(IEnumerable<PlannedApprover> approvers)
        {
            foreach (var a in approvers) Add(a);
        }

        // Two matched definitions asking the same set with different rules: the stricter one holds.
        public PlannedSet Build()
        {
            var strictest = Rules.Aggregate((a, b) => b.Required(_approvers.Count) > a.Required(_approvers.Count) ? b : a);
            return new PlannedSet(Key, label, strictest, _approvers);
        }
    }
}
