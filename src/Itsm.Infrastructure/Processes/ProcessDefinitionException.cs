using Itsm.Domain.Processes;

namespace Itsm.Infrastructure.Processes;

/// <summary>
/// The definitions in <c>itil-processes/</c> are invalid. The message lists every fault as
/// <c>file:line: message</c>, one per line, so the author can fix them all in one go.
/// </summary>
public sealed class ProcessDefinitionException(IReadOnlyList<DefinitionError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    public IReadOnlyList<DefinitionError> Errors { get; } = errors;
}
