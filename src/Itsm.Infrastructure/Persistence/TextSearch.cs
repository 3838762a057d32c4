using System.Linq.Expressions;
using Itsm.Application.Common;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Infrastructure.Persistence;

public sealed class TextSearch(ItsmDbContext db) : ITextSearch
{
    private const string Escape = "\\";

    public Expression<Func<T, bool>> Contains<T>(Expression<Func<T, string>> column, string text)
    {
        // The user's text is a literal: its own % and _ must not act as wildcards.
        var pattern = "%" + text.Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_") + "%";
        var like = db.Database.IsNpgsql()
            ? typeof(NpgsqlDbFunctionsExtensions).GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!
            : typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
        var body = Expression.Call(like, Expression.Constant(EF.Functions), column.Body,
            Expression.Constant(pattern), Expression.Constant(Escape));
        return Expression.Lambda<Func<T, bool>>(body, column.Parameters);
    }
}
