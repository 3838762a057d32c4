using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Processes;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>The shipped <c>itil-processes/</c> definitions, loaded once for every ticket test.</summary>
internal static class ShippedProcess
{
    private static readonly Lazy<ProcessDefinition> IncidentDefinition = new(() =>
        ProcessDefinitionLoader.LoadDirectory(Path.Combine(RepoRoot(), "itil-processes")).Single(p => p.Kind == TicketKind.Incident));

    private static readonly Lazy<ProcessDefinition> ProblemDefinition = new(() =>
        ProcessDefinitionLoader.LoadDirectory(Path.Combine(RepoRoot(), "itil-processes")).Single(p => p.Kind == TicketKind.Problem));

    public static ProcessDefinition Incident => IncidentDefinition.Value;
    public static ProcessDefinition Problem => ProblemDefinition.Value;

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Itsm.sln"))) return dir.FullName;
        throw new InvalidOperationException("Itsm.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The people and groups the ticket tests act as.</summary>
internal static class People
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly Guid ServiceDeskId = new("5e1f0c3a-0000-4000-8000-000000000001");
    public static readonly Guid NetworkId = new("5e1f0c3a-0000-4000-8000-000000000002");

    public static readonly Actor Caller = Person("u-caller", "Carl Caller", Roles.Requester);
    public static readonly Actor Neighbour = Person("u-neighbour", "Nina Neighbour", Roles.Requester);
    public static readonly Actor Agent = Person("u-agent", "Ada Agent", Roles.Agent);
    public static readonly Actor OtherAgent = Person("u-agent2", "Otto Other", Roles.Agent);
    public static readonly Actor NetworkAgent = Person("u-net", "Nils Network", Roles.Agent);
    public static readonly Actor ProblemManager = Person("u-pm", "Petra Problem", Roles.ProblemManager);

    /// <summary>Service Desk: Ada and Otto. A fresh instance each time, as groups are mutable.</summary>
    public static AssignmentGroup ServiceDesk()
    {
        var group = new AssignmentGroup(ServiceDeskId, "Service Desk");
        group.AddMember(Agent.UserId);
        group.AddMember(OtherAgent.UserId);
        return group;
    }

    /// <summary>Network Operations: Nils only.</summary>
    public static AssignmentGroup Network()
    {
        var group = new AssignmentGroup(NetworkId, "Network Operations");
        group.AddMember(NetworkAgent.UserId);
        return group;
    }

    private static Actor Person(string id, string name, string role) => new(id, name, new HashSet<string> { role }, new HashSet<Guid>());
}

/// <summary>
/// Fluent test data: <c>new IncidentBuilder().WithPriority(Impact.High, Urgency.High).Resolved().Build()</c>.
/// Every step goes through the aggregate's own methods, as the application would drive them.
/// </summary>
internal sealed class IncidentBuilder
{
    private static long _sequence = 1000;

    private string _shortDescription = "Printer on floor 3 jams on every page";
    private string? _description = "Paper jams after the first sheet.";
    private Impact _impact = Impact.Low;
    private Urgency _urgency = Urgency.Low;
    private string? _category;
    private Actor _caller = People.Caller;
    private AssignmentGroup? _group;
    private Actor? _assignee;
    private DateTimeOffset _at = People.Now;
    private readonly List<Action<Incident, ProcessDefinition>> _steps = [];

    public IncidentBuilder WithShortDescription(string text) { _shortDescription = text; return this; }
    public IncidentBuilder WithDescription(string? text) { _description = text; return this; }
    public IncidentBuilder WithPriority(Impact impact, Urgency urgency) { _impact = impact; _urgency = urgency; return this; }
    public IncidentBuilder WithCategory(string? code) { _category = code; return this; }
    public IncidentBuilder CalledInBy(Actor caller) { _caller = caller; return this; }
    public IncidentBuilder At(DateTimeOffset at) { _at = at; return this; }

    /// <summary>Assigned (by an agent) to the group and, optionally, one of its members.</summary>
    public IncidentBuilder AssignedTo(AssignmentGroup group, Actor? assignee = null)
    {
        _group = group;
        _assignee = assignee;
        return this;
    }

    public IncidentBuilder InProgress() => WithAssignee().Then("start");

    public IncidentBuilder OnHold(string holdReason) =>
        Then("put-on-hold", (TransitionFields.HoldReason, holdReason));

    public IncidentBuilder Resolved(string code = "solved-permanently", string notes = "Replaced the fuser unit.") =>
        WithAssignee().Then("resolve", (TransitionFields.ResolutionCode, code), (TransitionFields.ResolutionNotes, notes));

    public IncidentBuilder Closed() => Resolved().Then("close");

    public IncidentBuilder Canceled(string reason = "Logged twice.") => Then("cancel", (TransitionFields.CancelReason, reason));

    public Incident Build()
    {
        var process = ShippedProcess.Incident;
        var number = new TicketNumber(TicketKind.Incident, Interlocked.Increment(ref _sequence));
        var incident = Incident.Log(number, _shortDescription, _description, _impact, _urgency, _category,
            _caller.UserId, _caller.UserName, process, _caller, _at);
        if (_group is not null) incident.Assign(_group, _assignee?.UserId, _assignee?.UserName, People.Agent, _at);
        foreach (var step in _steps) step(incident, process);
        return incident;
    }

    /// <summary>Transitions that need an assignee get the Service Desk and Ada unless the test chose someone.</summary>
    private IncidentBuilder WithAssignee()
    {
        if (_assignee is null && _group is null) AssignedTo(People.ServiceDesk(), People.Agent);
        return this;
    }

    private IncidentBuilder Then(string transition, params (string Key, string Value)[] fields)
    {
        _steps.Add((incident, process) => incident.ApplyTransition(process, transition,
            fields.ToDictionary(f => f.Key, f => (string?)f.Value), People.Agent, _at));
        return this;
    }
}
