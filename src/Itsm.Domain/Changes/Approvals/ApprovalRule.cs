using System.Globalization;

namespace Itsm.Domain.Changes.Approvals;

/// <summary>How many approvers of a set must approve.</summary>
public enum ApprovalRuleKind
{
    /// <summary>One approval is enough.</summary>
    Any,
    /// <summary>Every approver of the set.</summary>
    All,
    /// <summary>N of the set's M approvers (all of them when the set has fewer than N).</summary>
    NOfM,
    /// <summary>At least this percentage of the set, rounded up.</summary>
    Percent,
}

/// <summary>
/// The rule of an approver set: any one, all, N of M or a percentage. Persisted and written in
/// change-approvals.yaml as <c>any</c>, <c>all</c>, <c>2-of-m</c>, <c>60%</c>.
/// </summary>
public sealed record ApprovalRule
{
    private ApprovalRule(ApprovalRuleKind kind, int value)
    {
        Kind = kind;
        Value = value;
    }

    public ApprovalRuleKind Kind { get; }

    /// <summary>N for <see cref="ApprovalRuleKind.NOfM"/>, the percentage for <see cref="ApprovalRuleKind.Percent"/>, otherwise 0.</summary>
    public int Value { get; }

    public static ApprovalRule Any { get; } = new(ApprovalRuleKind.Any, 0);
    public static ApprovalRule All { get; } = new(ApprovalRuleKind.All, 0);

    public static ApprovalRule NOfM(int n) =>
        n >= 1 ? new(ApprovalRuleKind.NOfM, n) : throw new ArgumentOutOfRangeException(nameof(n), n, "N of M needs N of 1 or more.");

    public static ApprovalRule Percent(int percent) =>
        percent is >= 1 and <= 100
            ? new(ApprovalRuleKind.Percent, percent)
            : throw new ArgumentOutOfRangeException(nameof(percent), percent, "A percentage must be from 1 to 100.");

    /// <summary>How many of <paramref name="total"/> approvers must approve.</summary>
    public int Required(int total) => Kind switch
    {
        ApprovalRuleKind.Any => Math.Min(1, total),
        ApprovalRuleKind.All => total,
        ApprovalRuleKind.NOfM => Math.Min(Value, total),
        ApprovalRuleKind.Percent => (Value * total + 99) / 100,
        _ => total,
    };

    /// <summary>
    /// Whether <paramref name="approved"/> of <paramref name="total"/> approvals meet the rule. A set without
    /// approvers meets no rule: an empty set must never let a change through unseen.
    /// </summary>
    public bool IsMet(int approved, int total) => total > 0 && approved >= Required(total);

    /// <summary>For people: "any one", "all", "2 of M", "60 %".</summary>
    public string Text => Kind switch
    {
        ApprovalRuleKind.Any => "any one",
        ApprovalRuleKind.All => "all",
        ApprovalRuleKind.NOfM => $"{Value} of M",
        _ => $"{Value} %",
    };

    /// <summary>For people, for a set of <paramref name="total"/>: "any one", "all", "2 of 5", "60 %".</summary>
    public string TextFor(int total) => Kind == ApprovalRuleKind.NOfM
        ? (total <= Value ? "all" : $"{Value} of {total}")
        : Text;

    /// <summary>The persisted form: any, all, 2-of-m, 60%.</summary>
    public override string ToString() => Kind switch
    {
        ApprovalRuleKind.Any => "any",
        ApprovalRuleKind.All => "all",
        ApprovalRuleKind.NOfM => $"{Value}-of-m",
        _ => $"{Value}%",
    };

    /// <summary>Parses the persisted form; throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static ApprovalRule Parse(string text) =>
        TryParse(text, out var rule, out var error) ? rule : throw new FormatException(error);

    /// <summary>Parses the persisted form; on failure <paramref name="error"/> says what is wrong, for a located message.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApprovalRule? rule, out string? error)
    {
        rule = null;
        error = null;
        var t = text?.Trim().ToLowerInvariant() ?? "";
        if (t == "any") rule = Any;
        else if (t == "all") rule = All;
        else if (t.EndsWith("-of-m", StringComparison.Ordinal) && int.TryParse(t[..^5], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            if (n >= 1) rule = NOfM(n);
            else error = $"'{text}': N of M needs N of 1 or more.";
        }
        else if (t.EndsWith('%') && int.TryParse(t[..^1].TrimEnd(), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
        {
            if (p is >= 1 and <= 100) rule = Percent(p);
            else error = $"'{text}': a percentage must be from 1 to 100.";
        }
        else
            error = $"'{text}' is not an approval rule; use any, all, N-of-m (e.g. 2-of-m) or a percentage (e.g. 60%).";
        return rule is not null;
    }
}
