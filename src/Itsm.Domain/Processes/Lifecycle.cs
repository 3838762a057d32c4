using Itsm.Domain.Common;
using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

/// <summary>Decides which transitions of a process are open to an actor on a ticket right now.</summary>
public static class Lifecycle
{
    public static IReadOnlyList<TransitionDefinition> Allowed(ProcessDefinition process, IGuardedTicket ticket, Actor actor, DateTimeOffset now) =>
        process.Transitions.Where(t => WhyNot(process, t, ticket, actor, now) is null).ToList();

    /// <summary>Null when the transition may run; otherwise the reason it may not.</summary>
    public static string? WhyNot(ProcessDefinition process, TransitionDefinition t, IGuardedTicket ticket, Actor actor, DateTimeOffset now)
    {
        if (!t.From.Contains(ticket.State))
            return $"'{t.Name}' is not possible from the state '{process.State(ticket.State).Label}'.";
        if (!t.Roles.Any(actor.IsInRole))
            return $"'{t.Name}' needs one of the roles {string.Join(", ", t.Roles)}.";
        var context = new GuardContext(ticket, actor, now, process);
        foreach (var name in t.Guards)
        {
            var guard = Guards.All[name];
            if (!guard.Allows(context))
                return $"'{t.Name}' needs {guard.Description}.";
        }
        return null;
    }

    /// <summary>Checks that the transition may run and its required fields are given; throws otherwise.</summary>
    public static TransitionDefinition Authorize(ProcessDefinition process, string transitionName, IGuardedTicket ticket,
        Actor actor, DateTimeOffset now, IReadOnlyDictionary<string, string?> fields)
    {
        var t = process.Transition(transitionName)
                ?? throw new FieldValidationException("transition",
                    $"'{transitionName}' is not a transition of the {process.Name} process. Known: {string.Join(", ", process.Transitions.Select(x => x.Name))}.");
        // Only the fields this transition declares: another transition's field (a resolution on put-on-hold, say)
        // must not ride along and take effect.
        var accepted = t.AcceptedFields.ToHashSet(StringComparer.Ordinal);
        var foreign = fields.Keys.Where(k => !accepted.Contains(k)).ToList();
        if (foreign.Count > 0)
            throw new FieldValidationException(foreign.ToDictionary(k => "fields." + k, k => new[]
            {
                accepted.Count == 0
                    ? $"'{k}' is not a field of '{t.Name}', which takes no fields."
                    : $"'{k}' is not a field of '{t.Name}'. It takes: {string.Join(", ", accepted)}.",
            }));
        var why = WhyNot(process, t, ticket, actor, now);
        // Possible now, but not for this person's roles: a refusal of authority (403), not a broken rule (409).
        if (why is not null && t.From.Contains(ticket.State) && !t.Roles.Any(actor.IsInRole))
            throw new ForbiddenException(why);
        if (why is not null)
            throw new BusinessRuleException("transition-not-allowed", why);
        var missing = t.RequiredFields.Where(f => !fields.TryGetValue(f, out var v) || string.IsNullOrWhiteSpace(v)).ToList();
        if (missing.Count > 0)
            throw new FieldValidationException(missing.ToDictionary(f => "fields." + f, f => new[] { $"'{f}' is required to {t.Label.ToLowerInvariant()}." }));
        return t;
    }
}
