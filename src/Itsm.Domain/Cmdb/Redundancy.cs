using System.Globalization;
using System.Text.RegularExpressions;

namespace Itsm.Domain.Cmdb;

/// <summary>
/// A redundancy rule on a cluster or group, as iTop has it: "needs N up" or "N% up". Impact passes through only when
/// more of its members are impacted than it can spare: more than (members − needed).
/// </summary>
public readonly partial record struct Redundancy(int Needed, bool IsPercent)
{
    /// <summary>How many members must stay up, of <paramref name="members"/>.</summary>
    public int NeededOf(int members) =>
        IsPercent ? (int)Math.Ceiling(members * Needed / 100.0) : Math.Min(Needed, members);

    /// <summary>True when <paramref name="impactedMembers"/> of <paramref name="members"/> down means the whole is down.</summary>
    public bool IsImpacted(int impactedMembers, int members) => impactedMembers > members - NeededOf(members);

    public override string ToString() => IsPercent ? $"{Needed}%" : $"needs {Needed}";

    /// <summary>Reads "needs 2", "needs 2 up", "2", "50%", "50% up".</summary>
    public static bool TryParse(string? text, out Redundancy redundancy, out string? error)
    {
        redundancy = default;
        error = null;
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            error = $"'{text}' is not a redundancy rule: write \"needs N\" or \"N%\".";
            return false;
        }
        var n = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        var percent = m.Groups["pct"].Success;
        if (n < 1 || (percent && n > 100) || n > 100_000)
        {
            error = percent ? "A percentage must be between 1 and 100." : "The number of members needed must be at least 1.";
            return false;
        }
        redundancy = new Redundancy(n, percent);
        return true;
    }

    [GeneratedRegex(@"^\s*(?:needs\s+)?(?<n>\d{1,6})\s*(?<pct>%)?\s*(?:up)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
