using System.Linq.Expressions;
using Itsm.Application.Common;
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
}
