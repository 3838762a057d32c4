using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>What an effect sees: the ticket, the transition's validated field values, who acts and when.</summary>
public sealed record EffectContext(Ticket Ticket, ProcessDefinition Process, IReadOnlyDictionary<string, string> Values, Actor Actor, DateTimeOffset Now)
{
    public string? Value(string field) => Values.GetValueOrDefault(field);
}

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

/// <summary>The names of the ticket core's effects.</summary>
public static class TransitionEffects
{
    public const string RecordResolution = "record-resolution";
    public const string RecordHoldReason = "record-hold-reason";
    public const string RecordCancelReason = "record-cancel-reason";
    public const string Reopen = "reopen";

    public static IReadOnlyDictionary<string, TransitionEffect> All => ProcessVocabulary.Effects;
}

/// <summary>What a transition did, as the aggregate reports it: callers react to this, never to timestamps.</summary>
public sealed record TransitionOutcome(string Transition, string From, string To, IReadOnlyList<string> Effects)
{
    public bool Did(string effect) => Effects.Contains(effect);
}
