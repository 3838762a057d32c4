namespace Itsm.Domain.Changes.Risk;

/// <summary>
/// The risk model of change management (itil-processes/change-risk.yaml): rules that give points, the scores at
/// which the levels start, and an optional questionnaire whose answers may raise the level, never lower it.
/// </summary>
public sealed class RiskModel
{
    private readonly Dictionary<string, RiskQuestion> _questions;

    public RiskModel(RiskLevelThresholds levels, IReadOnlyList<RiskRule> rules, IReadOnlyList<RiskQuestion> questions)
    {
        Levels = levels;
        Rules = rules;
        Questions = questions;
        _questions = questions.ToDictionary(q => q.Id, StringComparer.Ordinal);
    }

    public RiskLevelThresholds Levels { get; }
    public IReadOnlyList<RiskRule> Rules { get; }
    public IReadOnlyList<RiskQuestion> Questions { get; }

    public const string QuestionnaireRule = "questionnaire";

    public RiskAssessment Assess(RiskFacts facts)
    {
        var reasons = Rules.Select(r => r.Evaluate(facts)).OfType<RiskReason>().Where(r => r.Points > 0).ToList();
        var score = (int)Math.Min(int.MaxValue, reasons.Sum(r => (long)r.Points));
        var computed = Levels.LevelFor(score);

        // Answers to questions the file no longer has (or answers it no longer offers) are skipped: a change assessed
        // under an older questionnaire keeps a risk. New answers are checked with CheckAnswers before they are kept.
        var raises = Questions
            .Select(q => (Question: q, Answer: facts.Answers.TryGetValue(q.Id, out var a) ? q.Answers.FirstOrDefault(x => x.Id == a) : null))
            .Where(p => p.Answer?.RaisesTo is { } to && to > computed)
            .ToList();
        var level = raises.Count == 0 ? computed : raises.Max(p => p.Answer!.RaisesTo!.Value);
        // Only the answers that set the final level contributed; one raising less was outdone.
        reasons.AddRange(raises.Where(p => p.Answer!.RaisesTo == level).Select(p => new RiskReason(
            $"{QuestionnaireRule}:{p.Question.Id}",
            $"questionnaire: '{p.Question.Text}' answered {p.Answer!.Label}: at least {level.Label()}",
            0)));

        // Stable: rules with equal points keep the file's order, questionnaire raises (0 points) come last.
        return new RiskAssessment(level, computed, score, reasons.OrderByDescending(r => r.Points).ToList());
    }

    /// <summary>Unknown question ids and answers a question does not offer, as <c>answers.&lt;question id&gt;</c> field errors.</summary>
    public IEnumerable<(string Field, string Message)> CheckAnswers(IReadOnlyDictionary<string, string> answers)
    {
        foreach (var (questionId, answerId) in answers)
        {
            var field = $"answers.{questionId}";
            if (!_questions.TryGetValue(questionId, out var question))
                yield return (field, Questions.Count == 0
                    ? $"there is no risk question '{questionId}'; the risk questionnaire is empty."
                    : $"there is no risk question '{questionId}'; the questions are {string.Join(", ", Questions.Select(q => q.Id))}.");
            else if (question.Answers.All(a => a.Id != answerId))
                yield return (field, $"'{answerId}' is not an answer to '{question.Text}'; the answers are {string.Join(", ", question.Answers.Select(a => a.Id))}.");
        }
    }
}
