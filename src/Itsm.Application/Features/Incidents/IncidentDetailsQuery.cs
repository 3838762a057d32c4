using AutoMapper;
using Itsm.Application.Common;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>Builds the details view of an incident: mapped fields, state label from the process, child incidents.</summary>
public sealed class IncidentDetailsBuilder(IItsmDbContext db, IMapper mapper, IProcessCatalog processes)
{
    /// <param name="isNew">A just-logged incident has no children yet: skip that query on the hot create path.</param>
    public async Task<IncidentDetails> BuildAsync(Incident incident, CancellationToken ct, bool isNew = false)
    {
        var details = mapper.Map<IncidentDetails>(incident);
        var state = processes.For(TicketKind.Incident).State(incident.State);
        details.StateLabel = state.Label;
        details.IsActive = state.IsActive;
        if (isNew) return details;
        details.ChildIncidentNumbers = await db.Incidents.AsNoTracking()
            .Where(i => i.ParentIncidentId == incident.Id)
            .OrderBy(i => i.Number).Select(i => i.Number).ToListAsync(ct);
        return details;
    }
}
