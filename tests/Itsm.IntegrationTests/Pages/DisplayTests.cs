using Itsm.Application.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Itsm.IntegrationTests.Support;
using Itsm.Web.Pages.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Pages;

/// <summary>How ticket history reads on a page: field names and times as people read them.</summary>
public sealed class DisplayTests
{
    private static ProcessDefinition ChangeProcess()
    {
        using var app = new ItsmApp(DbProvider.Sqlite);
        return app.Services.GetRequiredService<IProcessCatalog>().For(TicketKind.Change);
    }

    [Test]
    public void HistoryValue_OfAPlannedTime_ReadsLikeTheRestOfThePage_OtherValuesStayAsTheyAre()
    {
        var process = ChangeProcess();
        Assert.That(Display.HistoryValue(process, "plannedStart", "2026-12-17 09:00:00Z"), Is.EqualTo("2026-12-17 09:00 UTC"));
        Assert.That(Display.HistoryValue(process, "resolvedAt", "2026-12-17T08:17:13+01:00"), Is.EqualTo("2026-12-17 07:17 UTC"));
        Assert.That(Display.HistoryValue(process, "shortDescription", "2026-12-17"), Is.EqualTo("2026-12-17"), "only time fields are times");
        Assert.That(Display.HistoryValue(process, "plannedStart", "soon"), Is.EqualTo("soon"), "what does not parse shows as recorded");
        Assert.That(Display.FieldLabel("affectedCis"), Is.EqualTo("Affected CIs"));
    }
}
