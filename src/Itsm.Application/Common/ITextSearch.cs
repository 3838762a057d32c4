using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>
/// Case-insensitive "contains" on a text column, in the form each database does fastest
/// (SQLite: LIKE, which ignores ASCII case, instead of lower() on every row; PostgreSQL: ILIKE under an ICU collation,
/// answered by a trigram index; docs/decisions/0005).
/// </summary>
public interface ITextSearch
{
    System.Linq.Expressions.Expression<Func<T, bool>> Contains<T>(System.Linq.Expressions.Expression<Func<T, string>> column, string text);

    /// <summary>The CIs of <paramref name="cis"/> whose attribute <paramref name="name"/> is exactly <paramref name="value"/>.</summary>
    IQueryable<Itsm.Domain.Cmdb.ConfigurationItem> WithAttribute(IQueryable<Itsm.Domain.Cmdb.ConfigurationItem> cis, string name, string value);
}
