using System.Globalization;

namespace Itsm.Domain.Cmdb;

/// <summary>A typed attribute of a CI class, declared in seed-data/reference/cmdb-classes.yaml.</summary>
public sealed record CiAttributeDefinition(string Name, CiAttributeType Type, bool Required, IReadOnlyList<string> Values)
{
    public const int MaxLength = 1000;

    /// <summary>The value in its one stored spelling, or an error that says what is allowed.</summary>
    public bool TryNormalize(string raw, out string value, out string? error)
    {
        value = raw.Trim();
        error = null;
        switch (Type)
        {
            case CiAttributeType.String:
                if (value.Length > MaxLength) error = $"At most {MaxLength} characters.";
                break;
            case CiAttributeType.Integer:
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) value = l.ToString(CultureInfo.InvariantCulture);
                else error = $"'{raw}' is not a whole number.";
                break;
            case CiAttributeType.Decimal:
                if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d)) value = d.ToString(CultureInfo.InvariantCulture);
                else error = $"'{raw}' is not a number.";
                break;
            case CiAttributeType.Boolean:
                if (bool.TryParse(value, out var b)) value = b ? "true" : "false";
                else error = $"'{raw}' is not true or false.";
                break;
            case CiAttributeType.Date:
                if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    value = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                else error = $"'{raw}' is not a date (yyyy-MM-dd).";
                break;
            case CiAttributeType.Enum:
                var given = value;
                var match = Values.FirstOrDefault(v => string.Equals(v, given, StringComparison.OrdinalIgnoreCase));
                if (match is null) error = $"'{raw}' is not one of: {string.Join(", ", Values)}.";
                else value = match;
                break;
        }
        return error is null;
    }
}
