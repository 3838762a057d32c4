using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using Itsm.Infrastructure.Processes;
using static Itsm.Domain.Tests.Processes.ProcessTestFiles;

namespace Itsm.Domain.Tests.Processes;

/// <summary>The shipped incident definition, driven through the lifecycle engine.</summary>
public class IncidentLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);
    private ProcessDefinition _incident = null!;

    private static readonly Actor Caller = Person("caller", Roles.Requester);
    private static readonly Actor OtherRequester = Person("neighbour", Roles.Requester);
    private static readonly Actor Agent = Person("agent", Roles.Agent);

    private sealed record Ticket(
        string State,
        string RequesterId = "caller",
        Guid? AssignmentGroupId = null,
        string? AssigneeId = "agent",
        string? ResolutionCode = null,
        string? ResolutionNotes = null,
        DateTimeOffset? ResolvedAt = null) : IGuardedTicket;

    private static Actor Person(string id, params string[] roles) => new(id, id, roles.ToHashSet(), new HashSet<Guid>());

    private static Dictionary<string, string?> Fields(params (string Key, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value);

    private static Ticket Resolved(TimeSpan ago) =>
        new("resolved", ResolutionCode: "solved-permanently", ResolutionNotes: "Restarted the service.", ResolvedAt: Now - ago);

    [OneTimeSetUp]
    public void LoadShippedDefinition() => _incident = ShippedIncident();

    [Test]
    public void LoadDirectory_WhenShippedDefinitions_LoadIncidentWithEveryPart()
    {
        Assert.That(_incident.InitialState, Is.EqualTo("new"));
        Assert.That(_incident.States.Select(s => s.Id),
            Is.EqualTo(new[] { "new", "in-progress", "on-hold", "resolved", "closed", "canceled" }));
        Assert.That(_incident.States.Where(s => s.IsFinal).Select(s => s.Id), Is.EqualTo(new[] { "closed", "canceled" }));
        Assert.That(_incident.ActiveStates, Is.EqualTo(new[] { "new", "in-progress", "on-hold" }));
        Assert.That(_incident.HoldReasons.Select(h => h.Label), Does.Contain("Awaiting Caller"));
        Assert.That(_incident.ReopenWindowDays, Is.EqualTo(7));
        Assert.That(_incident.AutomaticTransitions.Single(a => a.Name == "auto-close").AfterDays, Is.EqualTo(7));
        Assert.That(_incident.AutomaticTransitions.Single(a => a.Name == "caller-responded").HoldReason, Is.EqualTo("awaiting-caller"));
        Assert.That(_incident.File, Is.EqualTo("itil-processes/incident.yaml"));
    }

    [Test]
    public void Validate_WhenShippedIncidentDefinition_ReportsNoError()
    {
        Assert.That(ProcessDefinitionValidator.Validate(_incident), Is.Empty);
    }

    [Test]
    public void Allowed_WhenAgentOnAssignedNewIncident_OffersStartHoldResolveCancel()
    {
        var allowed = Lifecycle.Allowed(_incident, new Ticket("new"), Agent, Now).Select(t => t.Name);

        Assert.That(allowed, Is.EqualTo(new[] { "start", "put-on-hold", "resolve", "cancel" }));
    }

    [Test]
    public void Allowed_WhenRequesterOnInProgressIncident_OffersNothing()
    {
        Assert.That(Lifecycle.Allowed(_incident, new Ticket("in-progress"), Caller, Now), Is.Empty);
    }

    [Test]
    public void Authorize_WhenRequesterResolves_RefusesForRole()
    {
        var ex = Assert.Throws<ForbiddenException>(() => Lifecycle.Authorize(_incident, "resolve", new Ticket("in-progress"), Caller, Now,
            Fields(("resolutionCode", "solved-permanently"), ("resolutionNotes", "Fixed."))));

        Assert.That(ex!.Message, Does.Contain("needs one of the roles Agent, Engineer, Admin"));
    }

    [Test]
    public void Authorize_WhenResolvingWithoutResolutionFields_RequiresCodeAndNotes()
    {
        var ex = Assert.Throws<FieldValidationException>(() =>
            Lifecycle.Authorize(_incident, "resolve", new Ticket("in-progress"), Agent, Now, Fields()));

        Assert.That(ex!.Errors.Keys, Is.EquivalentTo(new[] { "fields.resolutionCode", "fields.resolutionNotes" }));
    }

    [Test]
    public void Authorize_WhenResolvingUnassignedIncident_NeedsAssignee()
    {
        var ex = Assert.Throws<BusinessRuleException>(() => Lifecycle.Authorize(_incident, "resolve",
            new Ticket("in-progress", AssigneeId: null), Agent, Now,
            Fields(("resolutionCode", "solved-permanently"), ("resolutionNotes", "Fixed."))));

        Assert.That(ex!.Message, Does.Contain("the ticket has an assignee"));
    }

    [Test]
    public void Authorize_WhenAgentResolvesWithFields_LeadsToResolved()
    {
        var t = Lifecycle.Authorize(_incident, "resolve", new Ticket("on-hold"), Agent, Now,
            Fields(("resolutionCode", "solved-workaround"), ("resolutionNotes", "Cleared the cache.")));

        Assert.That(t.To, Is.EqualTo("resolved"));
    }

    [Test]
    public void Authorize_WhenCallerReopensWithinWindow_LeadsToInProgress()
    {
        var t = Lifecycle.Authorize(_incident, "reopen", Resolved(TimeSpan.FromDays(6)), Caller, Now, Fields(("reopenReason", "Still broken.")));

        Assert.That(t.To, Is.EqualTo("in-progress"));
    }

    [Test]
    public void Authorize_WhenCallerReopensAfterWindow_RefusesForWindow()
    {
        var ex = Assert.Throws<BusinessRuleException>(() =>
            Lifecycle.Authorize(_incident, "reopen", Resolved(TimeSpan.FromDays(8)), Caller, Now, Fields()));

        Assert.That(ex!.Message, Does.Contain("resolved within the reopen window"));
    }

    [Test]
    public void Authorize_WhenAnotherRequesterReopens_RefusesAsNotCaller()
    {
        var ex = Assert.Throws<BusinessRuleException>(() =>
            Lifecycle.Authorize(_incident, "reopen", Resolved(TimeSpan.FromDays(1)), OtherRequester, Now, Fields()));

        Assert.That(ex!.Message, Does.Contain("the caller or works tickets"));
    }

    [Test]
    public void Authorize_WhenClosingWithoutResolution_NeedsResolutionRecorded()
    {
        var ex = Assert.Throws<BusinessRuleException>(() =>
            Lifecycle.Authorize(_incident, "close", new Ticket("resolved"), Agent, Now, Fields()));

        Assert.That(ex!.Message, Does.Contain("a resolution code and notes are recorded"));
    }

    [Test]
    public void Authorize_WhenCancelingWithoutReason_RequiresCancelReason()
    {
        var ex = Assert.Throws<FieldValidationException>(() =>
            Lifecycle.Authorize(_incident, "cancel", new Ticket("new"), Agent, Now, Fields(("cancelReason", " "))));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "fields.cancelReason" }));
    }

    [Test]
    public void Authorize_WhenPuttingOnHold_RequiresHoldReason()
    {
        var ex = Assert.Throws<FieldValidationException>(() =>
            Lifecycle.Authorize(_incident, "put-on-hold", new Ticket("in-progress"), Agent, Now, Fields()));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "fields.holdReason" }));
    }

    [Test]
    public void Authorize_WhenClosedIncident_OffersNoWayOut()
    {
        Assert.That(Lifecycle.Allowed(_incident, Resolved(TimeSpan.Zero) with { State = "closed" }, Agent, Now), Is.Empty);
    }
}
