using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>
/// Something a transition does besides changing state (records a resolution, a hold reason, a root cause), named in
/// the process definition and implemented in C#. <see cref="Requires"/> must be required fields of every transition
/// that names it; <see cref="Uses"/> may be carried as optional ones. <see cref="Kind"/> limits it to one module.
/// </summary>
public sealed record TransitionEffect(
    string Name,
    string Description,
    IReadOnlyList<string> Requires,
    IReadOnlyList<string> Uses,
    TicketKind? Kind,
    Action<EffectContext> Apply)
{
    public IEnumerable<string> Fields => Requires.Concat(Uses);
}
