namespace Itsm.Domain.Changes.Risk;

/// <summary>The scores from which each level starts; Low is every score below <see cref="Moderate"/>.</summary>
public sealed record RiskLevelThresholds
{
    public RiskLevelThresholds(int moderate, int high, int veryHigh)
    {
        if (moderate < 1 || high <= moderate || veryHigh <= high)
            throw new ArgumentException($"Level thresholds must increase from 1: moderate {moderate}, high {high}, very high {veryHigh}.");
        Moderate = moderate;
        High = high;
        VeryHigh = veryHigh;
    }

    public int Moderate { get; }
    public int High { get; }
    public int VeryHigh { get; }

    public RiskLevel LevelFor(int score) =>
        score >= VeryHigh ? RiskLevel.VeryHigh
        : score >= High ? RiskLevel.High
        : score >= Moderate ? RiskLevel.Moderate
        : RiskLevel.Low;
}
