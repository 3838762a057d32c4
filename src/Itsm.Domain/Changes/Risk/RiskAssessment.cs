namespace Itsm.Domain.Changes.Risk;

/// <summary>
/// The computed risk of a change. <see cref="ComputedLevel"/> comes from the score alone; <see cref="Level"/> is the
/// risk to act on, raised above it by questionnaire answers, never below it.
/// </summary>
public sealed record RiskAssessment(RiskLevel Level, RiskLevel ComputedLevel, int Score, IReadOnlyList<RiskReason> Reasons);

/// <summary>
/// One contribution to the risk: the rule kind (or <c>questionnaire:&lt;question id&gt;</c>), a sentence for people
/// naming what counted, and the points it added (0 for a questionnaire raise, which sets a minimum level instead).
/// </summary>
public sealed record RiskReason(string Rule, string Text, int Points);
