using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Common;

/// <summary>The unit of work: the one DbContext, seen through the sets the use cases need.</summary>
public interface IItsmDbContext
{
    DbSet<Ticket> Tickets { get; }
    DbSet<Incident> Incidents { get; }
    DbSet<Problem> Problems { get; }
    DbSet<TicketChange> TicketChanges { get; }
    DbSet<WorklogEntry> Worklog { get; }
    DbSet<AssignmentGroup> AssignmentGroups { get; }
    DbSet<Category> Categories { get; }
    DbSet<IdempotencyRecord> IdempotencyRecords { get; }
    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
    Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry Entry(object entity);
}

/// <summary>The person behind the current request; <see cref="Actor"/> throws when nobody is signed in.</summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }
    Actor Actor { get; }
}

/// <summary>Hands out ticket numbers, unique per kind, inside the current transaction.</summary>
public interface ITicketNumberGenerator
{
    Task<TicketNumber> NextAsync(TicketKind kind, CancellationToken cancellationToken);
}

/// <summary>Runs a command in one database transaction (on SQLite also one writer at a time).</summary>
public interface IUnitOfWork
{
    Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>
/// Categories (with their assignment rule) and assignment groups (with their members): read on most ticket writes,
/// changed rarely, so served from memory. A change made through this instance is seen at once (<see cref="Invalidate"/>);
/// one made elsewhere, within <c>ReferenceData:CacheSeconds</c>. The objects are shared: read them, never change them.
/// </summary>
public interface IReferenceData
{
    Task<Category?> FindCategoryAsync(string code, CancellationToken cancellationToken);
    Task<AssignmentGroup?> FindGroupAsync(Guid id, CancellationToken cancellationToken);
    void Invalidate();
}

public sealed record UserInfo(string Id, string UserName, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>Read access to people (accounts live in the identity store).</summary>
public interface IUserDirectory
{
    Task<UserInfo?> FindAsync(string idOrUserName, CancellationToken cancellationToken);
    Task<IReadOnlyList<UserInfo>> ListAsync(IEnumerable<string> ids, CancellationToken cancellationToken);
}

/// <summary>
/// Case-insensitive "contains" on a text column, in the form each database does fastest
/// (SQLite: LIKE, which ignores ASCII case, instead of lower() on every row; PostgreSQL: ILIKE under an ICU collation,
/// answered by a trigram index; docs/decisions/0005).
/// </summary>
public interface ITextSearch
{
    System.Linq.Expressions.Expression<Func<T, bool>> Contains<T>(System.Linq.Expressions.Expression<Func<T, string>> column, string text);
}

/// <summary>Marks a request that changes state: it runs inside <see cref="IUnitOfWork"/>.</summary>
public interface ICommand;

/// <summary>Restricts a request to the given roles (checked by the authorization behaviour).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AuthorizeRolesAttribute(params string[] roles) : Attribute
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>An Idempotency-Key seen on a create: the same key and body create one ticket, once.</summary>
public class IdempotencyRecord(string key, string userId, string requestHash, string ticketNumber, DateTimeOffset createdAt)
{
    public string Key { get; private set; } = key;
    public string UserId { get; private set; } = userId;
    public string RequestHash { get; private set; } = requestHash;
    public string TicketNumber { get; private set; } = ticketNumber;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;
}
