using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Common;

/// <summary>The validated process definitions read from <c>itil-processes/</c> at start-up.</summary>
public interface IProcessCatalog
{
    ProcessDefinition For(TicketKind kind);
    IReadOnlyList<ProcessDefinition> All { get; }
}
