using Itsm.Domain.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>
/// A transition takes its required fields and the optional ones its process entry declares, nothing else, and reports
/// what it did. The review's case: put-on-hold carrying a resolution resolved a major incident's children.
/// </summary>
public class TransitionFieldsTests
{
    private static ProcessDefinition Process => ShippedProcess.Incident;

    [Test]
    public void ApplyTransition_WhenAnotherTransitionsFieldsRideAlong_RefusesNamingThemAndChangesNothing()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();
        var version = incident.Version;

        var e = Assert.Throws<FieldValidationException>(() => incident.ApplyTransition(Process, "put-on-hold", new Dictionary<string, string?>
        {
            [TransitionFields.HoldReason] = "awaiting-vendor",
            [TransitionFields.ResolutionCode] = "solved-permanently",
            [TransitionFields.ResolutionNotes] = "x",
        }, People.Agent, People.Now.AddHours(1)));

        Assert.That(e!.Errors.Keys, Is.EquivalentTo(new[] { "fields.resolutionCode", "fields.resolutionNotes" }));
        Assert.That(e.Errors["fields.resolutionCode"][0], Does.Contain("put-on-hold").And.Contain("holdReason"));
        Assert.That((incident.State, incident.ResolutionCode, incident.ResolvedAt, incident.HoldReason, incident.Version),
            Is.EqualTo(("new", (string?)null, (DateTimeOffset?)null, (string?)null, version)));
    }

    [TestCase("start", "cancelReason")]
    [TestCase("resolve", "holdReason")]
    [TestCase("cancel", "resolutionNotes")]
    public void ApplyTransition_WhenGivenAFieldItDoesNotDeclare_Refuses(string transition, string foreign)
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();
        var fields = Process.Transition(transition)!.RequiredFields.ToDictionary(f => f, f => (string?)ValidValue(f));
        fields[foreign] = ValidValue(foreign);

        var e = Assert.Throws<FieldValidationException>(() => incident.ApplyTransition(Process, transition, fields, People.Agent, People.Now.AddHours(1)));

        Assert.That(e!.Errors.Keys, Is.EqualTo(new[] { "fields." + foreign }));
        Assert.That(incident.State, Is.EqualTo("new"));
    }

    [Test]
    public void ApplyTransition_WhenItRecordsAResolution_ReportsThatEffect()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();

        var outcome = incident.ApplyTransition(Process, "resolve", new Dictionary<string, string?>
        {
            [TransitionFields.ResolutionCode] = "solved-permanently",
            [TransitionFields.ResolutionNotes] = "Replaced the router.",
        }, People.Agent, People.Now.AddHours(1));

        Assert.That(outcome.Did(TransitionEffects.RecordResolution), Is.True);
        Assert.That((outcome.From, outcome.To, outcome.Transition), Is.EqualTo(("new", "resolved", "resolve")));
    }

    [Test]
    public void ApplyTransition_WhenPuttingOnHold_ReportsOnlyTheHoldReason()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();

        var outcome = incident.ApplyTransition(Process, "put-on-hold",
            new Dictionary<string, string?> { [TransitionFields.HoldReason] = "awaiting-vendor" }, People.Agent, People.Now.AddHours(1));

        Assert.That(outcome.Effects, Is.EqualTo(new[] { TransitionEffects.RecordHoldReason }));
        Assert.That(incident.HoldReason, Is.EqualTo("awaiting-vendor"));
    }

    [Test]
    public void ApplyTransition_WhenAnOptionalFieldIsGiven_TakesIt()
    {
        var incident = new IncidentBuilder().Resolved().Build();

        incident.ApplyTransition(Process, "reopen", new Dictionary<string, string?> { [TransitionFields.ReopenReason] = "Still jams." }, People.Caller, People.Now.AddHours(5));

        Assert.That(incident.Worklog.Select(w => w.Text), Does.Contain("Reopened: Still jams."));
        Assert.That((incident.ResolutionCode, incident.ReopenCount), Is.EqualTo(((string?)null, 1)));
    }

    [Test]
    public void ApplyTransition_WhenAChoiceIsNotInTheProcessList_RefusesNamingTheField()
    {
        var incident = new IncidentBuilder().AssignedTo(People.ServiceDesk(), People.Agent).Build();

        var e = Assert.Throws<FieldValidationException>(() => incident.ApplyTransition(Process, "put-on-hold",
            new Dictionary<string, string?> { [TransitionFields.HoldReason] = "lunch" }, People.Agent, People.Now.AddHours(1)));

        Assert.That(e!.Errors.Keys, Is.EqualTo(new[] { "fields.holdReason" }));
        Assert.That(incident.State, Is.EqualTo("new"));
    }

    private static string ValidValue(string field) => field switch
    {
        TransitionFields.HoldReason => "awaiting-vendor",
        TransitionFields.ResolutionCode => "solved-permanently",
        _ => "Some text.",
    };
}
