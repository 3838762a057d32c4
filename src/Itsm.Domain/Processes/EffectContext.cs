using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Domain.Processes;

/// <summary>What an effect sees: the ticket, the transition's validated field values, who acts and when.</summary>
public sealed record EffectContext(Ticket Ticket, ProcessDefinition Process, IReadOnlyDictionary<string, string> Values, Actor Actor, DateTimeOffset Now)
{
    public string? Value(string field) => Values.GetValueOrDefault(field);
}
