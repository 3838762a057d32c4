using System.Linq.Expressions;
using System.Text.Json;
using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// Case-insensitive "contains" with the user's <c>%</c>, <c>_</c> and <c>\</c> taken literally
/// (docs/decisions/0005-trigram-text-search.md).
/// PostgreSQL: <c>column COLLATE "und-x-icu" ILIKE '%text%'</c>, which the trigram index of migration 0003 answers
/// (3 characters or more; shorter texts scan). The ICU collation folds case by Unicode, whatever the database's locale.
/// SQLite: LIKE, which ignores ASCII case only.
/// </summary>
public sealed class TextSearch(ItsmDbContext db) : ITextSearch
{
    /// <summary>ICU's root locale, built into every ICU-enabled PostgreSQL; the trigram index is declared with the same one.</summary>
    public const string PostgresCollation = "und-x-icu";

    private const string Escape = "\\";

    public Expression<Func<T, bool>> Contains<T>(Expression<Func<T, string>> column, string text)
    {
        var pattern = "%" + text.Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_") + "%";
        // pattern is captured, so EF sends it as a parameter: one cached query for every search text, not one per text.
        Expression<Func<string, bool>> match = db.Database.IsNpgsql()
            ? s => EF.Functions.ILike(EF.Functions.Collate(s, PostgresCollation), pattern, Escape)
            : s => EF.Functions.Like(s, pattern, Escape);
        var body = ReplacingExpressionVisitor.Replace(match.Parameters[0], column.Body, match.Body);
        return Expression.Lambda<Func<T, bool>>(body, column.Parameters);
    }

    /// <summary>
    /// Attributes are stored as one JSON object, written by one serializer with sorted keys, so a name and value appear
    /// in exactly one spelling: <c>"name":"value"</c>. The column is mapped to a dictionary, which LINQ cannot search as
    /// text, so the match is SQL with the pair as a parameter (a plain substring test, no pattern characters).
    /// </summary>
    public IQueryable<ConfigurationItem> WithAttribute(IQueryable<ConfigurationItem> cis, string name, string value)
    {
        var pair = JsonSerializer.Serialize(name) + ":" + JsonSerializer.Serialize(value);
        var matching = db.Database.IsNpgsql()
            ? db.ConfigurationItems.FromSql($"SELECT * FROM configuration_items WHERE strpos(\"Attributes\", {pair}) > 0")
            : db.ConfigurationItems.FromSql($"SELECT * FROM configuration_items WHERE instr(\"Attributes\", {pair}) > 0");
        var ids = matching.Select(c => c.Id);
        return cis.Where(c => ids.Contains(c.Id));
    }
}
