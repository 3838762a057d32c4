using System.Globalization;
using System.Text.RegularExpressions;

namespace Itsm.Domain.Tickets;

/// <summary>A ticket's human number: the kind's prefix and a seven-digit, zero-padded sequence (INC0001001).</summary>
public readonly partial record struct TicketNumber(TicketKind Kind, long Sequence)
{
    public const int Digits = 7;

    public override string ToString() =>
        Kind.Prefix() + Sequence.ToString(new string('0', Digits), CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out TicketNumber number)
    {
        number = default;
        if (text is null) return false;
        var m = Pattern().Match(text.Trim().ToUpperInvariant());
        if (!m.Success) return false;
        var kind = Enum.GetValues<TicketKind>().FirstOrDefault(k => k.Prefix() == m.Groups[1].Value);
        if (kind.Prefix() != m.Groups[1].Value) return false;
        number = new TicketNumber(kind, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return true;
    }

    [GeneratedRegex("^(INC|PRB|CHG|REQ|TASK)([0-9]{7,12})$")]
    private static partial Regex Pattern();
}
