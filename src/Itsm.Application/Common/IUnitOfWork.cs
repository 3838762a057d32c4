using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>Runs a command in one database transaction (on SQLite also one writer at a time).</summary>
public interface IUnitOfWork
{
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="action"/> once the current command's transaction has committed (not if it fails).</summary>
    void AfterCommit(Func<CancellationToken, Task> action);
}
