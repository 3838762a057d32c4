namespace Itsm.Domain.Changes;

/// <summary>A change's risk, computed from the rules in itil-processes/change-risk.yaml (never typed in).</summary>
public enum RiskLevel
{
    Low = 1,
    Moderate = 2,
    High = 3,
    VeryHigh = 4,
}

public static class RiskLevelText
{
    public static string Label(this RiskLevel level) => level switch
    {
        RiskLevel.Low => "Low",
        RiskLevel.Moderate => "Moderate",
        RiskLevel.High => "High",
        RiskLevel.VeryHigh => "Very high",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>Parses the kebab-case id used in the YAML files and the API: low, moderate, high, very-high.</summary>
    public static RiskLevel? Parse(string? id) => id?.Trim().ToLowerInvariant() switch
    {
        "low" => RiskLevel.Low,
        "moderate" => RiskLevel.Moderate,
        "high" => RiskLevel.High,
        "very-high" => RiskLevel.VeryHigh,
        _ => null,
    };

    public static string Id(this RiskLevel level) => level == RiskLevel.VeryHigh ? "very-high" : level.ToString().ToLowerInvariant();
}
