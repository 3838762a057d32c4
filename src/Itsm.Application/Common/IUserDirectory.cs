using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>Read access to people (accounts live in the identity store).</summary>
public interface IUserDirectory
{
    Task<UserInfo?> FindAsync(string idOrUserName, CancellationToken cancellationToken);
    Task<IReadOnlyList<UserInfo>> ListAsync(IEnumerable<string> ids, CancellationToken cancellationToken);
}
