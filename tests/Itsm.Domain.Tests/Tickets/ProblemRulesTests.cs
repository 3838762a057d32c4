using Itsm.Domain.Common;
using Itsm.Domain.Problems;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>Root cause, workaround and known errors: the rules of the problem aggregate on the shipped problem process.</summary>
public class ProblemRulesTests
{
    private static ProcessDefinition Process => ShippedProcess.Problem;

    private static Problem NewProblem() =>
        Problem.Log(new TicketNumber(TicketKind.Problem, 1001), "Printers drop off the network", null, Impact.Medium, Urgency.Medium, null,
            People.ProblemManager, Process, People.Now);

    [Test]
    public void Log_WhenRequesterRaises_IsForbidden()
    {
        Assert.Throws<ForbiddenException>(() => Problem.Log(new TicketNumber(TicketKind.Problem, 1001), "x", null, Impact.Low, Urgency.Low, null,
            People.Caller, Process, People.Now));
    }

    [Test]
    public void Log_WhenGivenAnIncidentNumber_Refuses()
    {
        Assert.Throws<ArgumentException>(() => Problem.Log(new TicketNumber(TicketKind.Incident, 1001), "x", null, Impact.Low, Urgency.Low, null,
            People.ProblemManager, Process, People.Now));
    }

    [Test]
    public void PublishKnownError_WithoutWorkaround_RefusesAndStaysUnpublished()
    {
        var problem = NewProblem();
        problem.RecordRootCause("DHCP lease too short", null, People.ProblemManager, People.Now);

        var e = Assert.Throws<BusinessRuleException>(() => problem.PublishKnownError(People.ProblemManager, People.Now));

        Assert.That(e!.Rule, Is.EqualTo("known-error-incomplete"));
        Assert.That(problem.IsKnownError, Is.False);
    }

    [Test]
    public void PublishKnownError_WithRootCauseAndWorkaround_PublishesAndAuditsIt()
    {
        var problem = NewProblem();
        problem.RecordRootCause("DHCP lease too short", "Give printers a reserved address", People.ProblemManager, People.Now);

        problem.PublishKnownError(People.ProblemManager, People.Now.AddMinutes(5));

        Assert.That((problem.IsKnownError, problem.KnownErrorAt), Is.EqualTo((true, (DateTimeOffset?)People.Now.AddMinutes(5))));
        Assert.That(problem.History.Select(h => (h.Field, h.NewValue)), Does.Contain(("knownError", (string?)"Published")));
    }

    [Test]
    public void RecordRootCause_WhenPublishedAndWorkaroundCleared_Refuses()
    {
        var problem = NewProblem();
        problem.RecordRootCause("DHCP lease too short", "Reserve addresses", People.ProblemManager, People.Now);
        problem.PublishKnownError(People.ProblemManager, People.Now);

        Assert.Throws<BusinessRuleException>(() => problem.RecordRootCause("DHCP lease too short", " ", People.ProblemManager, People.Now));
        Assert.That(problem.Workaround, Is.EqualTo("Reserve addresses"));
    }

    [Test]
    public void RecordRootCause_WhenAgentTries_IsForbidden()
    {
        var problem = NewProblem();

        Assert.Throws<ForbiddenException>(() => problem.RecordRootCause("Cause", "Workaround", People.Agent, People.Now));
        Assert.That(problem.RootCause, Is.Null);
    }

    [Test]
    public void StartFix_RecordsTheRootCauseAndWorkaroundItCarries()
    {
        var problem = NewProblem();
        problem.Assign(People.ServiceDesk(), People.Agent.UserId, People.Agent.UserName, People.ProblemManager, People.Now);
        problem.ApplyTransition(Process, "assess", new Dictionary<string, string?>(), People.ProblemManager, People.Now);
        problem.ApplyTransition(Process, "analyse-root-cause", new Dictionary<string, string?>(), People.ProblemManager, People.Now);

        var outcome = problem.ApplyTransition(Process, "start-fix", new Dictionary<string, string?>
        {
            [ProblemVocabulary.RootCause] = "Firmware bug in the print server",
            [ProblemVocabulary.Workaround] = "Restart the spooler",
        }, People.ProblemManager, People.Now.AddHours(1));

        Assert.That(outcome.Did(ProblemVocabulary.RecordRootCause), Is.True);
        Assert.That((problem.State, problem.RootCause, problem.Workaround),
            Is.EqualTo(("fix-in-progress", (string?)"Firmware bug in the print server", (string?)"Restart the spooler")));
    }

    [Test]
    public void StartFix_WithoutRootCause_RefusesNamingTheField()
    {
        var problem = NewProblem();
        problem.Assign(People.ServiceDesk(), People.Agent.UserId, People.Agent.UserName, People.ProblemManager, People.Now);
        problem.ApplyTransition(Process, "assess", new Dictionary<string, string?>(), People.ProblemManager, People.Now);
        problem.ApplyTransition(Process, "analyse-root-cause", new Dictionary<string, string?>(), People.ProblemManager, People.Now);

        var e = Assert.Throws<FieldValidationException>(() => problem.ApplyTransition(Process, "start-fix", new Dictionary<string, string?>(), People.ProblemManager, People.Now));

        Assert.That(e!.Errors.Keys, Is.EqualTo(new[] { "fields.rootCause" }));
        Assert.That(problem.State, Is.EqualTo("root-cause-analysis"));
    }
}
