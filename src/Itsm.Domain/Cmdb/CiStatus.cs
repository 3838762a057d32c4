namespace Itsm.Domain.Cmdb;

/// <summary>Where a CI is in its life. Retired CIs stay in the CMDB (history) but carry no impact.</summary>
public enum CiStatus
{
    Planned = 0,
    Operational = 1,
    UnderMaintenance = 2,
    Retired = 3,
}

public static class CiStatusText
{
    public static string Display(this CiStatus status) => status switch
    {
        CiStatus.UnderMaintenance => "Under Maintenance",
        _ => status.ToString(),
    };

    /// <summary>Reads "Operational", "Under Maintenance", "under-maintenance", "UnderMaintenance" (any case).</summary>
    public static bool TryParse(string? text, out CiStatus status)
    {
        var key = (text ?? "").Replace(" ", "").Replace("-", "").Replace("_", "");
        foreach (var s in Enum.GetValues<CiStatus>())
            if (string.Equals(s.ToString(), key, StringComparison.OrdinalIgnoreCase)) { status = s; return true; }
        status = default;
        return false;
    }

    public const string Allowed = "Planned, Operational, Under Maintenance or Retired";
}
