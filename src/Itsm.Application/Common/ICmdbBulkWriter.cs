using Itsm.Domain.Cmdb;

namespace Itsm.Application.Common;

/// <summary>
/// Appends many new CMDB rows at once, for the import: on the unit of work's connection and inside its transaction,
/// past the change tracker (tens of thousands of rows through SaveChanges cost seconds of CPU). Each row gets its id;
/// none is tracked afterwards. The rows are written exactly as EF Core would write them.
/// </summary>
public interface ICmdbBulkWriter
{
    Task InsertAsync(IReadOnlyList<ConfigurationItem> cis, CancellationToken ct);
    Task InsertAsync(IReadOnlyList<Relationship> relationships, CancellationToken ct);
    Task InsertAsync(IReadOnlyList<CmdbChangeEntry> entries, CancellationToken ct);
}
