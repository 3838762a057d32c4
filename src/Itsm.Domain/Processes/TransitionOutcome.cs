using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>What a transition did, as the aggregate reports it: callers react to this, never to timestamps.</summary>
public sealed record TransitionOutcome(string Transition, string From, string To, IReadOnlyList<string> Effects)
{
    public bool Did(string effect) => Effects.Contains(effect);
}
