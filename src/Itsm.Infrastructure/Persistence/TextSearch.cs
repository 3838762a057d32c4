using System.Linq.Expressions;
using Itsm.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Persistence;

public sealed class TextSearch(ItsmDbContext db) : ITextSearch
{
    private const string Escape = "\\";

    public Expression<Func<T, bool>> Contains<T>(Expression<Func<T, string>> column, string text)
    {
        if (db.Database.IsNpgsql())
        {
            // PostgreSQL: strpos(lower(column), lower(text)) > 0 measured faster than ILIKE on the queue benchmark.
            var lower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;
            var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
            var call = Expression.Call(Expression.Call(column.Body, lower), contains, Expression.Constant(text.ToLowerInvariant()));
            return Expression.Lambda<Func<T, bool>>(call, column.Parameters);
        }
        // SQLite: LIKE ignores ASCII case by itself; the user's own % and _ must not act as wildcards.
        var pattern = "%" + text.Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_") + "%";
        var like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
        var body = Expression.Call(like, Expression.Constant(EF.Functions), column.Body, Expression.Constant(pattern), Expression.Constant(Escape));
        return Expression.Lambda<Func<T, bool>>(body, column.Parameters);
    }
}
