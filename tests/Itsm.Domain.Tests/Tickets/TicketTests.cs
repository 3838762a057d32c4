using Itsm.Domain.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>The ticket core: assignment, the field-level history, versions, and a closed ticket staying closed.</summary>
public class TicketTests
{
    private static readonly DateTimeOffset Later = People.Now.AddHours(1);

    private static List<(string Field, string? Old, string? New)> ChangesSince(Incident incident, int count) =>
        incident.History.Skip(count).Select(h => (h.Field, h.OldValue, h.NewValue)).ToList();

    [Test]
    public void Log_WhenNew_RecordsEveryInitialValueByTheCaller()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Medium, Urgency.High).WithCategory("network")
            .WithShortDescription("VPN drops every hour").WithDescription(null).Build();

        Assert.That(ChangesSince(incident, 0), Is.EqualTo(new (string, string?, string?)[]
        {
            ("number", null, incident.Number),
            ("requester", null, "Carl Caller"),
            ("state", null, "New"),
            ("shortDescription", null, "VPN drops every hour"),
            ("category", null, "network"),
            ("impact", null, "2 - Medium"),
            ("urgency", null, "1 - High"),
            ("priority", null, "P2 High"),
        }));
        Assert.That(incident.History.Select(h => h.ActorName), Is.All.EqualTo("Carl Caller"));
        Assert.That(incident.State, Is.EqualTo("new"));
        Assert.That(incident.Version, Is.EqualTo(1));
    }

    [Test]
    public void Describe_WhenBothFieldsChange_RecordsOldAndNewOfEach()
    {
        var incident = new IncidentBuilder().WithShortDescription("Printer jams").WithDescription("Since Monday.").Build();
        var before = incident.History.Count;

        incident.Describe("Printer jams on duplex", "Since Monday, only duplex.", People.Agent, Later);

        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[]
        {
            ("shortDescription", "Printer jams", "Printer jams on duplex"),
            ("description", "Since Monday.", "Since Monday, only duplex."),
        }));
        var last = incident.History.Last();
        Assert.That((last.ActorId, last.ActorName, last.At), Is.EqualTo((People.Agent.UserId, People.Agent.UserName, Later)));
    }

    [Test]
    public void Reprioritise_WhenImpactAndUrgencyChange_RecordsImpactUrgencyAndPriorityWithLabels()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Low, Urgency.Low).Build();
        var before = incident.History.Count;

        incident.Reprioritise(Impact.High, Urgency.High, ShippedProcess.Incident.PriorityMatrix, People.Agent, Later);

        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[]
        {
            ("impact", "3 - Low", "1 - High"),
            ("urgency", "3 - Low", "1 - High"),
            ("priority", "P4 Low", "P1 Critical"),
        }));
    }

    [Test]
    public void Categorise_WhenCleared_RecordsOldAndNull()
    {
        var incident = new IncidentBuilder().WithCategory("hardware").Build();
        var before = incident.History.Count;

        incident.Categorise(null, People.Agent, Later);

        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[] { ("category", "hardware", null) }));
    }

    [Test]
    public void Describe_WhenNothingChanges_RecordsNothingAndKeepsVersion()
    {
        var incident = new IncidentBuilder().WithShortDescription("Printer jams").WithDescription("Since Monday.").Build();
        var (before, version) = (incident.History.Count, incident.Version);

        incident.Describe("  Printer jams ", "Since Monday.", People.Agent, Later);
        incident.Reprioritise(incident.Impact, incident.Urgency, ShippedProcess.Incident.PriorityMatrix, People.Agent, Later);

        Assert.That(incident.History, Has.Count.EqualTo(before));
        Assert.That(incident.Version, Is.EqualTo(version));
    }

    [Test]
    public void Describe_WhenSomethingChanges_MovesVersionOnAndUpdatedAt()
    {
        var incident = new IncidentBuilder().Build();
        var version = incident.Version;

        incident.Describe("Another text", null, People.Agent, Later);

        Assert.That(incident.Version, Is.GreaterThan(version));
        Assert.That(incident.UpdatedAt, Is.EqualTo(Later));
    }

    [Test]
    public void Describe_WhenShortDescriptionBlankOrTooLong_RefusesWithFieldErrorsAndChangesNothing()
    {
        var incident = new IncidentBuilder().WithShortDescription("Printer jams").Build();
        var before = incident.History.Count;

        var blank = Assert.Throws<FieldValidationException>(() => incident.Describe("   ", null, People.Agent, Later));
        var tooLong = Assert.Throws<FieldValidationException>(() =>
            incident.Describe(new string('x', Ticket.ShortDescriptionMax + 1), new string('y', Ticket.DescriptionMax + 1), People.Agent, Later));

        Assert.That(blank!.Errors.Keys, Is.EqualTo(new[] { "shortDescription" }));
        Assert.That(tooLong!.Errors.Keys, Is.EquivalentTo(new[] { "shortDescription", "description" }));
        Assert.That(incident.ShortDescription, Is.EqualTo("Printer jams"));
        Assert.That(incident.History, Has.Count.EqualTo(before));
    }

    [Test]
    public void Assign_WhenAssigneeIsNotAMemberOfTheGroup_RefusesAndChangesNothing()
    {
        var incident = new IncidentBuilder().Build();
        var before = incident.History.Count;

        var ex = Assert.Throws<FieldValidationException>(() =>
            incident.Assign(People.Network(), People.Agent.UserId, People.Agent.UserName, People.Agent, Later));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "assignee" }));
        Assert.That(ex.Errors["assignee"][0], Does.Contain("Network Operations"));
        Assert.That(incident.AssignmentGroupId, Is.Null);
        Assert.That(incident.AssigneeId, Is.Null);
        Assert.That(incident.History, Has.Count.EqualTo(before));
    }

    [Test]
    public void Assign_WhenAssigneeWithoutGroup_Refuses()
    {
        var incident = new IncidentBuilder().Build();

        var ex = Assert.Throws<FieldValidationException>(() => incident.Assign(null, People.Agent.UserId, People.Agent.UserName, People.Agent, Later));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "assignee" }));
    }

    [Test]
    public void Assign_WhenFirstAssigned_RecordsGroupAndAssigneeWithoutCountingAReassignment()
    {
        var incident = new IncidentBuilder().Build();
        var before = incident.History.Count;

        incident.Assign(People.ServiceDesk(), People.Agent.UserId, People.Agent.UserName, People.Agent, Later);

        Assert.That(incident.ReassignmentCount, Is.Zero);
        Assert.That((incident.AssignmentGroupId, incident.AssignmentGroupName, incident.AssigneeId, incident.AssigneeName),
            Is.EqualTo(((Guid?)People.ServiceDeskId, "Service Desk", People.Agent.UserId, People.Agent.UserName)));
        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[]
        {
            ("assignmentGroup", null, "Service Desk"),
            ("assignee", null, "Ada Agent"),
        }));
    }

    [Test]
    public void Assign_WhenGroupOrAssigneeChangesLater_CountsEachReassignmentAndRecordsIt()
    {
        var desk = People.ServiceDesk();
        var incident = new IncidentBuilder().AssignedTo(desk).Build();

        incident.Assign(desk, People.Agent.UserId, People.Agent.UserName, People.Agent, Later);
        Assert.That(incident.ReassignmentCount, Is.Zero, "taking a ticket of one's own group is not a reassignment");

        incident.Assign(desk, People.OtherAgent.UserId, People.OtherAgent.UserName, People.Agent, Later);
        Assert.That(incident.ReassignmentCount, Is.EqualTo(1), "another member of the same group");

        var before = incident.History.Count;
        incident.Assign(People.Network(), People.NetworkAgent.UserId, People.NetworkAgent.UserName, People.OtherAgent, Later);
        Assert.That(incident.ReassignmentCount, Is.EqualTo(2), "another group");
        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[]
        {
            ("reassignmentCount", "1", "2"),
            ("assignmentGroup", "Service Desk", "Network Operations"),
            ("assignee", "Otto Other", "Nils Network"),
        }));

        incident.Assign(People.Network(), People.NetworkAgent.UserId, People.NetworkAgent.UserName, People.NetworkAgent, Later);
        Assert.That(incident.ReassignmentCount, Is.EqualTo(2), "assigning to whom it already is changes nothing");
    }

    [Test]
    public void ApplyTransition_WhenStateChanges_RecordsStateLabelsOldAndNew()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();
        var before = incident.History.Count;

        incident.ApplyTransition(ShippedProcess.Incident, "start", new Dictionary<string, string?>(), People.Agent, Later);

        Assert.That(ChangesSince(incident, before), Is.EqualTo(new (string, string?, string?)[] { ("state", "New", "In Progress") }));
    }

    [Test]
    public void ApplyTransition_WhenClosed_RecordsClosedAtAndState()
    {
        var incident = new IncidentBuilder().Resolved().Build();

        incident.ApplyTransition(ShippedProcess.Incident, "close", new Dictionary<string, string?>(), People.Agent, Later);

        Assert.That(incident.State, Is.EqualTo("closed"));
        Assert.That(incident.ClosedAt, Is.EqualTo(Later));
        Assert.That(incident.History.Select(h => h.Field).TakeLast(2), Is.EqualTo(new[] { "closedAt", "state" }));
    }

    // A closed (or canceled) ticket is final: nothing on it may change any more.
    private static IEnumerable<TestCaseData> ChangesToAFinalTicket()
    {
        var matrix = ShippedProcess.Incident.PriorityMatrix;
        yield return new TestCaseData((Action<Incident>)(i => i.Assign(People.ServiceDesk(), People.OtherAgent.UserId, People.OtherAgent.UserName, People.Agent, Later))).SetArgDisplayNames("Assign");
        yield return new TestCaseData((Action<Incident>)(i => i.ApplyTransition(ShippedProcess.Incident, "reopen", new Dictionary<string, string?>(), People.Agent, Later))).SetArgDisplayNames("Reopen");
        yield return new TestCaseData((Action<Incident>)(i => i.AddWorklog(WorklogKind.Comment, "Any news?", ShippedProcess.Incident, People.Caller, Later))).SetArgDisplayNames("Comment");
        yield return new TestCaseData((Action<Incident>)(i => i.Describe("Edited after closing", null, People.Agent, Later))).SetArgDisplayNames("Describe");
        yield return new TestCaseData((Action<Incident>)(i => i.Categorise("network", People.Agent, Later))).SetArgDisplayNames("Categorise");
        yield return new TestCaseData((Action<Incident>)(i => i.Reprioritise(Impact.High, Urgency.High, matrix, People.Agent, Later))).SetArgDisplayNames("Reprioritise");
        yield return new TestCaseData((Action<Incident>)(i => i.OverridePriority(Priority.Critical, "Too late", People.Agent, Later))).SetArgDisplayNames("OverridePriority");
        yield return new TestCaseData((Action<Incident>)(i => i.LinkToParent(new IncidentBuilder().Build(), People.Agent, Later))).SetArgDisplayNames("LinkToParent");
    }

    [TestCaseSource(nameof(ChangesToAFinalTicket))]
    public void AnyChange_WhenTicketClosed_IsRefusedAndRecordsNothing(Action<Incident> change)
    {
        var incident = new IncidentBuilder().Closed().Build();
        var (before, version) = (incident.History.Count, incident.Version);

        var ex = Assert.Throws<BusinessRuleException>(() => change(incident));

        Assert.That(ex!.Rule, Is.EqualTo("ticket-closed"));
        Assert.That(incident.History, Has.Count.EqualTo(before));
        Assert.That(incident.Version, Is.EqualTo(version));
    }

    [Test]
    public void Assign_WhenTicketCanceled_IsRefused()
    {
        var incident = new IncidentBuilder().Canceled().Build();

        var ex = Assert.Throws<BusinessRuleException>(() =>
            incident.Assign(People.ServiceDesk(), People.Agent.UserId, People.Agent.UserName, People.Agent, Later));

        Assert.That(ex!.Rule, Is.EqualTo("ticket-closed"));
        Assert.That(incident.CancelReason, Is.EqualTo("Logged twice."));
    }
}
