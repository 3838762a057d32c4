using Itsm.Domain.Common;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

/// <summary>Impact × urgency → priority through the matrix, and the audited manual override.</summary>
public class PriorityTests
{
    private static readonly object[] Cells =
    [
        new object[] { Impact.High, Urgency.High, Priority.Critical },
        new object[] { Impact.High, Urgency.Medium, Priority.High },
        new object[] { Impact.High, Urgency.Low, Priority.Moderate },
        new object[] { Impact.Medium, Urgency.High, Priority.High },
        new object[] { Impact.Medium, Urgency.Medium, Priority.Moderate },
        new object[] { Impact.Medium, Urgency.Low, Priority.Low },
        new object[] { Impact.Low, Urgency.High, Priority.Moderate },
        new object[] { Impact.Low, Urgency.Medium, Priority.Low },
        new object[] { Impact.Low, Urgency.Low, Priority.Low },
    ];

    [TestCaseSource(nameof(Cells))]
    public void PriorityOf_WhenDefaultMatrix_GivesServiceNowCell(Impact impact, Urgency urgency, Priority expected)
    {
        Assert.That(PriorityMatrix.Default.PriorityOf(impact, urgency), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Cells))]
    public void PriorityOf_WhenShippedMatrix_AgreesWithDefault(Impact impact, Urgency urgency, Priority expected)
    {
        Assert.That(ShippedProcess.Incident.PriorityMatrix.PriorityOf(impact, urgency), Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Cells))]
    public void Log_WhenImpactAndUrgencyGiven_TakesPriorityFromMatrix(Impact impact, Urgency urgency, Priority expected)
    {
        var incident = new IncidentBuilder().WithPriority(impact, urgency).Build();

        Assert.That(incident.Priority, Is.EqualTo(expected));
        Assert.That(incident.IsPriorityOverridden, Is.False);
    }

    [Test]
    public void PriorityMatrix_WhenCellMissing_RefusesNamingTheCell()
    {
        var cells = (from i in Enum.GetValues<Impact>()
                     from u in Enum.GetValues<Urgency>()
                     where !(i == Impact.Medium && u == Urgency.Low)
                     select (i, u)).ToDictionary(c => c, _ => Priority.Low);

        var ex = Assert.Throws<ArgumentException>(() => _ = new PriorityMatrix(cells));

        Assert.That(ex!.Message, Does.Contain("impact 2 × urgency 3"));
    }

    [Test]
    public void Reprioritise_WhenNotOverridden_FollowsMatrix()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Low, Urgency.Low).Build();

        incident.Reprioritise(Impact.High, Urgency.Medium, ShippedProcess.Incident.PriorityMatrix, People.Agent, People.Now);

        Assert.That(incident.Priority, Is.EqualTo(Priority.High));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void OverridePriority_WhenReasonMissing_RefusesWithFieldErrorAndChangesNothing(string? reason)
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Low, Urgency.Low).Build();
        var before = incident.History.Count;

        var ex = Assert.Throws<FieldValidationException>(() => incident.OverridePriority(Priority.Critical, reason!, People.Agent, People.Now));

        Assert.That(ex!.Errors.Keys, Is.EqualTo(new[] { "priorityOverrideReason" }));
        Assert.That(incident.Priority, Is.EqualTo(Priority.Low));
        Assert.That(incident.IsPriorityOverridden, Is.False);
        Assert.That(incident.History, Has.Count.EqualTo(before));
    }

    [Test]
    public void OverridePriority_WhenReasonGiven_SetsPriorityAndAuditsReasonAndOldAndNewPriority()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Medium, Urgency.Medium).Build();
        var before = incident.History.Count;
        var at = People.Now.AddMinutes(5);

        incident.OverridePriority(Priority.Critical, "  CEO cannot present at the board meeting  ", People.Agent, at);

        Assert.That(incident.Priority, Is.EqualTo(Priority.Critical));
        Assert.That(incident.PriorityOverrideReason, Is.EqualTo("CEO cannot present at the board meeting"));
        var changes = incident.History.Skip(before).ToList();
        Assert.That(changes.Select(h => (h.Field, h.OldValue, h.NewValue)), Is.EqualTo(new[]
        {
            ("priorityOverrideReason", (string?)null, (string?)"CEO cannot present at the board meeting"),
            ("priority", "P3 Moderate", "P1 Critical"),
        }));
        Assert.That(changes.Select(h => (h.ActorId, h.ActorName, h.At)), Is.All.EqualTo((People.Agent.UserId, People.Agent.UserName, at)));
    }

    [Test]
    public void OverridePriority_WhenRequesterTries_IsForbidden()
    {
        var incident = new IncidentBuilder().Build();

        Assert.Throws<ForbiddenException>(() => incident.OverridePriority(Priority.Critical, "I am in a hurry", People.Caller, People.Now));
        Assert.That(incident.Priority, Is.EqualTo(Priority.Low));
    }

    [Test]
    public void Reprioritise_WhenOverridden_KeepsTheOverriddenPriority()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Low, Urgency.Low).Build();
        incident.OverridePriority(Priority.High, "VIP caller", People.Agent, People.Now);

        incident.Reprioritise(Impact.Low, Urgency.Medium, ShippedProcess.Incident.PriorityMatrix, People.Agent, People.Now);

        Assert.That(incident.Priority, Is.EqualTo(Priority.High));
        Assert.That(incident.Urgency, Is.EqualTo(Urgency.Medium));
    }

    [Test]
    public void ClearPriorityOverride_WhenOverridden_ReturnsToMatrixAndAuditsIt()
    {
        var incident = new IncidentBuilder().WithPriority(Impact.Medium, Urgency.Low).Build();
        incident.OverridePriority(Priority.Critical, "VIP caller", People.Agent, People.Now);
        var before = incident.History.Count;

        incident.ClearPriorityOverride(ShippedProcess.Incident.PriorityMatrix, People.Agent, People.Now);

        Assert.That(incident.Priority, Is.EqualTo(Priority.Low));
        Assert.That(incident.PriorityOverrideReason, Is.Null);
        Assert.That(incident.History.Skip(before).Select(h => (h.Field, h.OldValue, h.NewValue)), Is.EqualTo(new[]
        {
            ("priorityOverrideReason", (string?)"VIP caller", (string?)null),
            ("priority", "P1 Critical", "P4 Low"),
        }));
    }
}
