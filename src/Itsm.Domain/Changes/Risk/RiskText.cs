namespace Itsm.Domain.Changes.Risk;

/// <summary>Wording shared by the rules' reasons: counts, name lists, durations.</summary>
internal static class RiskText
{
    public static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    /// <summary>"Payroll", "Payroll and Billing", "Payroll, Billing, HR and 2 more".</summary>
    public static string Names(IReadOnlyList<string> names, int shown = 3)
    {
        if (names.Count <= 1) return names.Count == 1 ? names[0] : "";
        if (names.Count <= shown) return string.Join(", ", names.Take(names.Count - 1)) + " and " + names[^1];
        return string.Join(", ", names.Take(shown)) + $" and {names.Count - shown} more";
    }

    public static string Change(ChangeType type) => type switch
    {
        ChangeType.Emergency => "an emergency change",
        ChangeType.Normal => "a normal change",
        _ => "a standard change",
    };

    public static string Hours(int hours) => hours == 1 ? "1 hour's" : $"{hours} hours'";

    /// <summary>Whole minutes under an hour, whole hours under three days, whole days beyond.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.FromMinutes(1)) return "less than a minute";
        if (span < TimeSpan.FromHours(1)) return Count((int)span.TotalMinutes, "minute", "minutes");
        if (span < TimeSpan.FromDays(3)) return Count((int)span.TotalHours, "hour", "hours");
        return Count((int)span.TotalDays, "day", "days");
    }

    /// <summary>Appended when a rule's cap cut its points.</summary>
    public static string Capped(int uncapped, int? max) => max is { } m && uncapped > m ? $", capped at {m} points" : "";
}
