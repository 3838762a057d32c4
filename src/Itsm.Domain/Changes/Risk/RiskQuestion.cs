namespace Itsm.Domain.Changes.Risk;

/// <summary>A question of the optional risk questionnaire, with the answers people pick from.</summary>
public sealed record RiskQuestion(string Id, string Text, IReadOnlyList<RiskAnswer> Answers);

/// <summary>An answer; when <see cref="RaisesTo"/> is set, picking it makes the risk at least that level.</summary>
public sealed record RiskAnswer(string Id, string Label, RiskLevel? RaisesTo = null);
