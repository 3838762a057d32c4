using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Tests.Tickets;

public class TicketNumberTests
{
    [TestCase(TicketKind.Incident, 1001, "INC0001001")]
    [TestCase(TicketKind.Problem, 7, "PRB0000007")]
    [TestCase(TicketKind.Change, 9_999_999, "CHG9999999")]
    [TestCase(TicketKind.Request, 42, "REQ0000042")]
    [TestCase(TicketKind.Task, 123_456, "TASK0123456")]
    public void ToString_WhenFormatted_IsPrefixAndSevenZeroPaddedDigits(TicketKind kind, long sequence, string expected)
    {
        Assert.That(new TicketNumber(kind, sequence).ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void ToString_WhenSequenceOutgrowsSevenDigits_KeepsEveryDigit()
    {
        Assert.That(new TicketNumber(TicketKind.Incident, 12_345_678).ToString(), Is.EqualTo("INC12345678"));
    }

    [TestCase("INC0001001", TicketKind.Incident, 1001)]
    [TestCase(" inc0001001 ", TicketKind.Incident, 1001)]
    [TestCase("PRB0000007", TicketKind.Problem, 7)]
    [TestCase("chg0000010", TicketKind.Change, 10)]
    [TestCase("REQ0000042", TicketKind.Request, 42)]
    [TestCase("TASK0123456", TicketKind.Task, 123_456)]
    [TestCase("INC123456789012", TicketKind.Incident, 123_456_789_012)]
    public void TryParse_WhenWellFormed_ReturnsKindAndSequence(string text, TicketKind kind, long sequence)
    {
        var ok = TicketNumber.TryParse(text, out var number);

        Assert.That(ok, Is.True);
        Assert.That(number, Is.EqualTo(new TicketNumber(kind, sequence)));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("INC")]
    [TestCase("INC000100")]
    [TestCase("INC1234567890123")]
    [TestCase("INC00010O1")]
    [TestCase("INC-0001001")]
    [TestCase("XYZ0001001")]
    [TestCase("0001001")]
    [TestCase("INC0001001X")]
    [TestCase("INC 0001001")]
    public void TryParse_WhenMalformed_ReturnsFalse(string? text)
    {
        var ok = TicketNumber.TryParse(text, out var number);

        Assert.That(ok, Is.False);
        Assert.That(number, Is.EqualTo(default(TicketNumber)));
    }

    [Test]
    public void TryParse_WhenGivenItsOwnText_RoundTripsForEveryKind()
    {
        foreach (var kind in Enum.GetValues<TicketKind>())
        {
            var original = new TicketNumber(kind, 4711);
            Assert.That(TicketNumber.TryParse(original.ToString(), out var parsed), Is.True, kind.ToString());
            Assert.That(parsed, Is.EqualTo(original), kind.ToString());
        }
    }

    [Test]
    public void Log_WhenNumberIsNotAnIncidentNumber_Refuses()
    {
        Assert.Throws<ArgumentException>(() => Incident.Log(new TicketNumber(TicketKind.Problem, 1001), "Mail down", null,
            Impact.High, Urgency.High, null, People.Caller.UserId, People.Caller.UserName, ShippedProcess.Incident, People.Caller, People.Now));
    }

    [Test]
    public void Log_WhenNumberGiven_StoresItsTextAndRecordsItInHistory()
    {
        var incident = new IncidentBuilder().Build();

        Assert.That(TicketNumber.TryParse(incident.Number, out var parsed), Is.True);
        Assert.That(parsed.Kind, Is.EqualTo(TicketKind.Incident));
        Assert.That(incident.History.Single(h => h.Field == "number").NewValue, Is.EqualTo(incident.Number));
    }
}
