using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

/// <summary>One fault in a process definition, located so the author can find it.</summary>
public sealed record DefinitionError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";
}
