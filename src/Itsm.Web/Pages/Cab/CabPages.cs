using System.Globalization;
using Itsm.Application.Features.Changes.Cab;

namespace Itsm.Web.Pages.Cab;

/// <summary>How the CAB pages write meetings, periods, decisions and risk, and where they link to.</summary>
public static class CabPages
{
    public static string StateClass(string state) => "state cab-state-" + state;

    public static string DecisionClass(string decision) => "cab-decision cab-decision-" + decision;

    public static string RiskClass(string level) => "cab-risk cab-risk-" + level;

    /// <summary>"2026-03-02 – 2026-03-08": the period's end is exclusive, so the last day shown is the day before it.</summary>
    public static string Period(DateTimeOffset from, DateTimeOffset to)
    {
        var last = to.UtcDateTime.TimeOfDay == TimeSpan.Zero ? to.UtcDateTime.AddDays(-1) : to.UtcDateTime;
        return $"{Day(from.UtcDateTime)} – {Day(last)}";
    }

    /// <summary>"10:00–11:00 UTC" on the meeting's day.</summary>
    public static string Time(CabMeetingView m) =>
        $"{Day(m.StartsAt.UtcDateTime)} {m.StartsAt.UtcDateTime:HH:mm}–{m.EndsAt.UtcDateTime:HH:mm} UTC";

    private static string Day(DateTime t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The CMDB impact page with the change's affected CIs as its start set.</summary>
    public static string? ImpactQuery(CabBlastRadiusView blast) => blast.AffectedCis.Count == 0 ? null
        : "?" + string.Join("&", blast.AffectedCis.Select(c => "ci=" + c.Id.ToString(CultureInfo.InvariantCulture)));

    public static string TypeLabel(string type) => type.Length == 0 ? type : char.ToUpperInvariant(type[0]) + type[1..];
}
