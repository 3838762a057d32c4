using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>Worklog, reopening and major incidents: the rules the incident aggregate enforces on top of the lifecycle.</summary>
public class IncidentLifecycleRulesTests
{
    private static ProcessDefinition Process => ShippedProcess.Incident;
    private static readonly Dictionary<string, string?> NoFields = [];

    private static Dictionary<string, string?> Resolution(string code, string notes) => new()
    {
        [TransitionFields.ResolutionCode] = code,
        [TransitionFields.ResolutionNotes] = notes,
    };

    [Test]
    public void AddWorklog_WhenCallerCommentsWhileAwaitingCaller_MovesToInProgressAndClearsHoldReason()
    {
        var incident = new IncidentBuilder().OnHold("awaiting-caller").Build();

        incident.AddWorklog(WorklogKind.Comment, "Here is the screenshot you asked for.", Process, People.Caller, People.Now.AddHours(2));

        Assert.That(incident.State, Is.EqualTo("in-progress"));
        Assert.That(incident.HoldReason, Is.Null);
        Assert.That(incident.History.Select(h => (h.Field, h.OldValue, h.NewValue, h.ActorName)).TakeLast(2), Is.EqualTo(new[]
        {
            ("holdReason", (string?)"awaiting-caller", (string?)null, "Carl Caller"),
            ("state", "On Hold", "In Progress", "Carl Caller"),
        }));
    }

    [Test]
    public void AddWorklog_WhenAgentCommentsWhileAwaitingCaller_StaysOnHold()
    {
        var incident = new IncidentBuilder().OnHold("awaiting-caller").Build();

        incident.AddWorklog(WorklogKind.Comment, "Could you send a screenshot?", Process, People.Agent, People.Now);

        Assert.That(incident.State, Is.EqualTo("on-hold"));
        Assert.That(incident.HoldReason, Is.EqualTo("awaiting-caller"));
        Assert.That(incident.Worklog.Single().Kind, Is.EqualTo(WorklogKind.Comment));
    }

    [Test]
    public void AddWorklog_WhenCallerCommentsWhileAwaitingVendor_StaysOnHold()
    {
        var incident = new IncidentBuilder().OnHold("awaiting-vendor").Build();

        incident.AddWorklog(WorklogKind.Comment, "Any news?", Process, People.Caller, People.Now);

        Assert.That(incident.State, Is.EqualTo("on-hold"));
        Assert.That(incident.HoldReason, Is.EqualTo("awaiting-vendor"));
    }

    [Test]
    public void AddWorklog_WhenRequesterWritesWorkNote_IsForbiddenAndAddsNothing()
    {
        var incident = new IncidentBuilder().Build();

        Assert.Throws<ForbiddenException>(() => incident.AddWorklog(WorklogKind.WorkNote, "internal", Process, People.Caller, People.Now));

        Assert.That(incident.Worklog, Is.Empty);
    }

    [Test]
    public void AddWorklog_WhenAgentWritesWorkNote_KeepsAuthorKindAndTrimmedText()
    {
        var incident = new IncidentBuilder().Build();

        var entry = incident.AddWorklog(WorklogKind.WorkNote, "  Checked the spooler.  ", Process, People.Agent, People.Now);

        Assert.That((entry.Kind, entry.Text, entry.AuthorId, entry.AuthorName, entry.TicketId),
            Is.EqualTo((WorklogKind.WorkNote, "Checked the spooler.", People.Agent.UserId, People.Agent.UserName, incident.Id)));
        Assert.That(incident.Worklog, Is.EqualTo(new[] { entry }));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void AddWorklog_WhenTextBlank_RefusesWithFieldError(string text)
    {
        var incident = new IncidentBuilder().Build();

        var ex = Assert.Throws<FieldValidationException>(() => incident.AddWorklog(WorklogKind.Comment, text, Process, People.Caller, People.Now));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "text" }));
    }

    [Test]
    public void Reopen_WhenCallerWithinWindow_IncrementsReopenCountAndClearsResolution()
    {
        var incident = new IncidentBuilder().Resolved("solved-workaround", "Restarted the spooler.").Build();
        Assert.That(incident.ResolvedAt, Is.Not.Null);
        var at = People.Now.AddDays(6);

        incident.ApplyTransition(Process, "reopen", new Dictionary<string, string?> { [TransitionFields.ReopenReason] = "Jams again." }, People.Caller, at);

        Assert.That(incident.State, Is.EqualTo("in-progress"));
        Assert.That(incident.ReopenCount, Is.EqualTo(1));
        Assert.That((incident.ResolutionCode, incident.ResolutionNotes, incident.ResolvedAt), Is.EqualTo(((string?)null, (string?)null, (DateTimeOffset?)null)));
        Assert.That(incident.History.Select(h => h.Field), Is.SupersetOf(new[] { "reopenCount", "resolutionCode", "resolutionNotes", "resolvedAt" }));
        Assert.That(incident.Worklog.Single().Text, Is.EqualTo("Reopened: Jams again."));
    }

    [Test]
    public void Reopen_WhenResolvedAndReopenedTwice_CountsBoth()
    {
        var incident = new IncidentBuilder().Resolved().Build();
        incident.ApplyTransition(Process, "reopen", NoFields, People.Caller, People.Now);
        incident.ApplyTransition(Process, "resolve", Resolution("solved-permanently", "Replaced the printer."), People.Agent, People.Now);

        incident.ApplyTransition(Process, "reopen", NoFields, People.Agent, People.Now);

        Assert.That(incident.ReopenCount, Is.EqualTo(2));
    }

    [Test]
    public void Reopen_WhenWindowHasPassed_IsRefusedAndKeepsResolution()
    {
        var incident = new IncidentBuilder().Resolved().Build();

        var ex = Assert.Throws<BusinessRuleException>(() =>
            incident.ApplyTransition(Process, "reopen", NoFields, People.Caller, People.Now.AddDays(Process.ReopenWindowDays).AddMinutes(1)));

        Assert.That(ex!.Rule, Is.EqualTo("transition-not-allowed"));
        Assert.That(incident.State, Is.EqualTo("resolved"));
        Assert.That(incident.ReopenCount, Is.Zero);
        Assert.That(incident.ResolutionCode, Is.EqualTo("solved-permanently"));
    }

    [Test]
    public void Reopen_WhenAnotherRequesterTries_IsRefused()
    {
        var incident = new IncidentBuilder().Resolved().Build();

        Assert.Throws<BusinessRuleException>(() => incident.ApplyTransition(Process, "reopen", NoFields, People.Neighbour, People.Now));
        Assert.That(incident.State, Is.EqualTo("resolved"));
    }

    [Test]
    public void ApplyTransition_WhenResolutionCodeUnknown_RefusesWithFieldErrorAndStaysInState()
    {
        var incident = new IncidentBuilder().InProgress().Build();

        var ex = Assert.Throws<FieldValidationException>(() =>
            incident.ApplyTransition(Process, "resolve", Resolution("fixed-by-magic", "Poof."), People.Agent, People.Now));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "fields.resolutionCode" }));
        Assert.That(incident.State, Is.EqualTo("in-progress"));
    }

    [Test]
    public void ResolveWithParent_WhenParentResolved_ResolvesUnassignedChildWithParentsResolution()
    {
        var parent = new IncidentBuilder().WithPriority(Impact.High, Urgency.High).InProgress().Build();
        var child = new IncidentBuilder().Build();
        child.LinkToParent(parent, People.Agent, People.Now);
        var at = People.Now.AddHours(3);
        parent.ApplyTransition(Process, "resolve", Resolution("solved-permanently", "Core switch replaced."), People.Agent, at);

        var resolved = child.ResolveWithParent(parent, Process, Actor.System, at);

        Assert.That(resolved?.Did(TransitionEffects.RecordResolution), Is.True);
        Assert.That(child.AssigneeId, Is.Null, "the child's own has-assignee guard does not apply");
        Assert.That(child.State, Is.EqualTo("resolved"));
        Assert.That(child.ResolutionCode, Is.EqualTo("solved-permanently"));
        Assert.That(child.ResolutionNotes, Is.EqualTo($"Resolved with major incident {parent.Number}: Core switch replaced."));
        Assert.That(child.ResolvedAt, Is.EqualTo(at));
        Assert.That(child.History.Last().ActorName, Is.EqualTo("system"));
    }

    [Test]
    public void ResolveWithParent_WhenChildIsOnHold_ResolvesItToo()
    {
        var parent = new IncidentBuilder().Resolved().Build();
        var child = new IncidentBuilder().OnHold("awaiting-vendor").Build();
        child.LinkToParent(parent, People.Agent, People.Now);

        Assert.That(child.ResolveWithParent(parent, Process, Actor.System, People.Now), Is.Not.Null);
        Assert.That(child.State, Is.EqualTo("resolved"));
        Assert.That(child.HoldReason, Is.Null);
    }

    [Test]
    public void ResolveWithParent_WhenChildAlreadyResolved_LeavesItAlone()
    {
        var parent = new IncidentBuilder().Resolved("solved-permanently", "Core switch replaced.").Build();
        var child = new IncidentBuilder().Resolved("duplicate", "Same as the other one.").Build();
        child.LinkToParent(parent, People.Agent, People.Now);
        var before = child.History.Count;

        Assert.That(child.ResolveWithParent(parent, Process, Actor.System, People.Now.AddHours(1)), Is.Null);
        Assert.That(child.ResolutionCode, Is.EqualTo("duplicate"));
        Assert.That(child.History, Has.Count.EqualTo(before));
    }

    [Test]
    public void ResolveWithParent_WhenParentHasNoResolution_DoesNothing()
    {
        var parent = new IncidentBuilder().InProgress().Build();
        var child = new IncidentBuilder().Build();
        child.LinkToParent(parent, People.Agent, People.Now);

        Assert.That(child.ResolveWithParent(parent, Process, Actor.System, People.Now), Is.Null);
        Assert.That(child.State, Is.EqualTo("new"));
    }

    [Test]
    public void ResolveWithParent_WhenNotAChildOfThatIncident_Refuses()
    {
        var parent = new IncidentBuilder().Resolved().Build();
        var stranger = new IncidentBuilder().Build();

        Assert.Throws<ArgumentException>(() => stranger.ResolveWithParent(parent, Process, Actor.System, People.Now));
        Assert.That(stranger.State, Is.EqualTo("new"));
    }

    [Test]
    public void LinkToParent_WhenLinked_RecordsParentNumber()
    {
        var parent = new IncidentBuilder().Build();
        var child = new IncidentBuilder().Build();

        child.LinkToParent(parent, People.Agent, People.Now);

        Assert.That((child.ParentIncidentId, child.ParentIncidentNumber), Is.EqualTo(((Guid?)parent.Id, parent.Number)));
        Assert.That(child.History.Last(), Has.Property("Field").EqualTo("parentIncident").And.Property("NewValue").EqualTo(parent.Number));
    }

    [Test]
    public void LinkToParent_WhenParentIsItselfOrAChildOrClosed_RefusesNamingTheRule()
    {
        var incident = new IncidentBuilder().Build();
        var major = new IncidentBuilder().Build();
        var child = new IncidentBuilder().Build();
        child.LinkToParent(major, People.Agent, People.Now);
        var closed = new IncidentBuilder().Closed().Build();

        Assert.That(Assert.Throws<BusinessRuleException>(() => incident.LinkToParent(incident, People.Agent, People.Now))!.Rule, Is.EqualTo("parent-self"));
        Assert.That(Assert.Throws<BusinessRuleException>(() => incident.LinkToParent(child, People.Agent, People.Now))!.Rule, Is.EqualTo("parent-nested"));
        Assert.That(Assert.Throws<BusinessRuleException>(() => incident.LinkToParent(closed, People.Agent, People.Now))!.Rule, Is.EqualTo("parent-closed"));
        Assert.That(incident.ParentIncidentId, Is.Null);
    }

    [Test]
    public void LinkToParent_WhenTheSameParentIsGivenAgainAfterItClosed_ChangesNothingAndDoesNotRefuse()
    {
        // An edit form sends every field: an unchanged link to a parent that has closed since must not block the edit.
        var major = new IncidentBuilder().Resolved().Build();
        var child = new IncidentBuilder().Build();
        child.LinkToParent(major, People.Agent, People.Now);
        major.ApplyTransition(Process, "close", NoFields, People.Agent, People.Now.AddHours(1));
        var version = child.Version;

        Assert.DoesNotThrow(() => child.LinkToParent(major, People.Agent, People.Now.AddHours(2)));
        Assert.That((child.ParentIncidentId, child.Version), Is.EqualTo(((Guid?)major.Id, version)));
    }

    [Test]
    public void Assign_WhenNothingChangesThoughTheAssigneeLeftTheGroup_ChangesNothingAndDoesNotRefuse()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();
        var desk = new AssignmentGroup(People.ServiceDeskId, "Service Desk"); // the same group, without Ada any more
        var version = incident.Version;

        Assert.DoesNotThrow(() => incident.Assign(desk, People.Agent.UserId, People.Agent.UserName, People.Agent, People.Now.AddHours(1)));
        Assert.That((incident.AssigneeId, incident.Version), Is.EqualTo((People.Agent.UserId, version)));
    }

    [Test]
    public void ResolveWithParent_WhenTheParentsNotesFillTheField_CutsTheQuotedNotesToFit()
    {
        var parent = new IncidentBuilder().Resolved(notes: new string('x', 8000)).Build();
        var child = new IncidentBuilder().Build();
        child.LinkToParent(parent, People.Agent, People.Now);

        Assert.That(child.ResolveWithParent(parent, Process, Actor.System, People.Now.AddHours(1)), Is.Not.Null);
        Assert.That(child.ResolutionNotes, Has.Length.EqualTo(8000).And.EndsWith("…").And.StartsWith($"Resolved with major incident {parent.Number}"));
    }
}
