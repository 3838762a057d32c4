using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Common;

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
