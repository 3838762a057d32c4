using Itsm.Application.Common;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// The process definitions read once from a directory (normally <c>itil-processes/</c>). Constructing it loads and
/// validates everything, so an invalid definition stops start-up with its file and line.
/// </summary>
public sealed class FileProcessCatalog : IProcessCatalog
{
    private readonly Dictionary<TicketKind, ProcessDefinition> _byKind;

    public FileProcessCatalog(string directory) : this(ProcessDefinitionLoader.LoadDirectory(directory)) { }

    public FileProcessCatalog(IReadOnlyList<ProcessDefinition> processes)
    {
        All = processes;
        _byKind = processes.ToDictionary(p => p.Kind);
    }

    public IReadOnlyList<ProcessDefinition> All { get; }

    public ProcessDefinition For(TicketKind kind) =>
        _byKind.TryGetValue(kind, out var p)
            ? p
            : throw new KeyNotFoundException($"No process in itil-processes/ governs {kind} tickets; add a definition with 'kind: {kind}'.");
}
