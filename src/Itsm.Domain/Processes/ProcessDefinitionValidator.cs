using System.Text.RegularExpressions;
using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

/// <summary>
/// Checks a process definition against the names the C# code implements (roles, guards, fields) and
/// against the shape of a sound lifecycle (every state reachable, no dead ends, nothing leaves a final state).
/// Pure: it reports every fault it finds rather than stopping at the first.
/// </summary>
public static partial class ProcessDefinitionValidator
{
    public static IReadOnlyList<DefinitionError> Validate(ProcessDefinition p)
    {
        var errors = new List<DefinitionError>();
        void Error(SourceLocation at, string message) => errors.Add(new DefinitionError(at, message));

        var fileStart = new SourceLocation(p.File, 1);
        var states = new Dictionary<string, StateDefinition>(StringComparer.Ordinal);
        foreach (var s in p.States)
        {
            CheckKebab(s.Id, s.Location, "state id", Error);
            if (!states.TryAdd(s.Id, s))
                Error(s.Location, $"state '{s.Id}' is defined twice (first at line {states[s.Id].Location.Line}).");
            if (s.IsFinal && s.IsActive)
                Error(s.Location, $"state '{s.Id}' is final and active; a final state cannot be open work.");
        }
        if (p.States.Count == 0)
            Error(fileStart, "the process has no states.");

        var knownStates = string.Join(", ", states.Keys);
        void CheckState(string id, SourceLocation at, string phrase)
        {
            if (!states.ContainsKey(id))
                Error(at, $"{phrase} unknown state '{id}'. Known states: {knownStates}.");
        }

        if (p.States.Count > 0)
            CheckState(p.InitialState, p.InitialStateLocation ?? fileStart, "initial-state names");

        // A rename moves tickets out of a state that is gone into one that exists; renaming a live state would move
        // tickets out of a valid state, and a rename into a missing state would leave them stranded again.
        foreach (var rename in p.StateRenames)
        {
            CheckKebab(rename.From, rename.Location, "renamed state id", Error);
            if (states.ContainsKey(rename.From))
                Error(rename.Location, $"state-renames maps '{rename.From}', which is still a state; only a state the definition no longer has can be renamed.");
            if (!states.ContainsKey(rename.To))
                Error(rename.Location, $"state-renames maps '{rename.From}' to unknown state '{rename.To}'. Known states: {knownStates}.");
        }

        var names = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
        void CheckName(string name, SourceLocation at)
        {
            CheckKebab(name, at, "transition name", Error);
            if (!names.TryAdd(name, at))
                Error(at, $"transition name '{name}' is used twice (first at line {names[name].Line}).");
        }

        foreach (var t in p.Transitions)
        {
            CheckName(t.Name, t.Location);
            var what = $"transition '{t.Name}'";
            if (t.From.Count == 0)
                Error(t.Location, $"{what} has no 'from' states.");
            foreach (var from in t.From)
            {
                CheckState(from, t.Location, $"{what} starts from");
                CheckLeavesFinal(states, from, what, t.Location, Error);
            }
            CheckState(t.To, t.Location, $"{what} leads to");
            if (t.Roles.Count == 0)
                Error(t.Location, $"{what} has no roles, so nobody could run it. Known roles: {string.Join(", ", Roles.All)}.");
            foreach (var role in t.Roles.Where(r => !Roles.All.Contains(r)))
                Error(t.Location, $"{what} names unknown role '{role}'. Known roles: {string.Join(", ", Roles.All)}.");
            foreach (var guard in t.Guards.Where(g => !Guards.All.ContainsKey(g)))
                Error(t.Location, $"{what} names unknown guard '{guard}'. Known guards: {string.Join(", ", Guards.All.Keys.Order(StringComparer.Ordinal))}.");
            CheckFieldsAndEffects(p, t, what, Error);
        }

        var holdReasons = p.HoldReasons.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var a in p.AutomaticTransitions)
        {
            CheckName(a.Name, a.Location);
            var what = $"automatic transition '{a.Name}'";
            CheckState(a.From, a.Location, $"{what} starts from");
            CheckLeavesFinal(states, a.From, what, a.Location, Error);
            CheckState(a.To, a.Location, $"{what} leads to");
            if (a.HoldReason is { } reason && !holdReasons.Contains(reason))
                Error(a.Location, $"{what} names hold reason '{reason}', which is not among the hold-reasons" +
                                  (holdReasons.Count == 0 ? " (there are none)." : $": {string.Join(", ", holdReasons)}."));
            if (a.Trigger == AutomaticTrigger.Timer && a.AfterDays is not > 0)
                Error(a.Location, $"{what} has trigger timer but no after-days greater than 0.");
            if (a.Trigger != AutomaticTrigger.Timer && a.AfterDays is not null)
                Error(a.Location, $"{what} has after-days, which only a timer trigger uses.");
        }

        if (states.ContainsKey(p.InitialState))
        {
            var reached = Reachable(p);
            foreach (var s in states.Values.Where(s => !reached.Contains(s.Id)))
                Error(s.Location, $"state '{s.Id}' cannot be reached from the initial state '{p.InitialState}'.");
        }

        var left = p.Transitions.SelectMany(t => t.From).Concat(p.AutomaticTransitions.Select(a => a.From)).ToHashSet(StringComparer.Ordinal);
        foreach (var s in states.Values.Where(s => !s.IsFinal && !left.Contains(s.Id)))
            Error(s.Location, $"state '{s.Id}' is not final but no transition leaves it; mark it final or add a way out.");

        return errors.OrderBy(e => e.Location.File, StringComparer.Ordinal).ThenBy(e => e.Location.Line).ToList();
    }

    /// <summary>
    /// The transition's fields are known, each taken by one of its effects (a field nothing records would be accepted
    /// and lost), each effect is known, open to this kind of ticket, and given the fields it needs as required fields.
    /// </summary>
    private static void CheckFieldsAndEffects(ProcessDefinition p, TransitionDefinition t, string what, Action<SourceLocation, string> error)
    {
        var knownFields = string.Join(", ", TransitionFields.Known.Order(StringComparer.Ordinal));
        foreach (var field in t.RequiredFields.Where(f => !TransitionFields.All.ContainsKey(f)))
            error(t.Location, $"{what} requires unknown field '{field}'. Known fields: {knownFields}.");
        foreach (var field in t.OptionalFields.Where(f => !TransitionFields.All.ContainsKey(f)))
            error(t.Location, $"{what} names unknown optional field '{field}'. Known fields: {knownFields}.");
        foreach (var field in t.RequiredFields.Intersect(t.OptionalFields))
            error(t.Location, $"{what} names field '{field}' as both required and optional.");

        var effects = new List<TransitionEffect>();
        foreach (var name in t.Effects)
        {
            if (!TransitionEffects.All.TryGetValue(name, out var effect))
                error(t.Location, $"{what} names unknown effect '{name}'. Known effects: {string.Join(", ", TransitionEffects.All.Keys.Order(StringComparer.Ordinal))}.");
            else if (effect.Kind is { } kind && kind != p.Kind)
                error(t.Location, $"{what} names effect '{name}', which only {kind} processes have.");
            else
            {
                effects.Add(effect);
                foreach (var needed in effect.Requires.Where(f => !t.RequiredFields.Contains(f)))
                    error(t.Location, $"{what} has effect '{name}', which needs '{needed}' among its required-fields.");
            }
        }
        var taken = effects.SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        foreach (var field in t.AcceptedFields.Where(f => TransitionFields.All.ContainsKey(f) && !taken.Contains(f)))
            error(t.Location, $"{what} takes field '{field}', but none of its effects records it; add the effect that does " +
                              $"({string.Join(", ", TransitionEffects.All.Values.Where(e => e.Fields.Contains(field)).Select(e => e.Name))}) or drop the field.");
    }

    // Ids appear in URLs, API payloads and logs: one spelling (kebab-case) avoids case and space mistakes.
    private static void CheckKebab(string id, SourceLocation at, string what, Action<SourceLocation, string> error)
    {
        if (id.Length > 0 && !Kebab().IsMatch(id))
            error(at, $"{what} '{id}' must be kebab-case: lower-case letters and digits joined by '-', e.g. in-progress.");
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Kebab();

    private static void CheckLeavesFinal(Dictionary<string, StateDefinition> states, string from, string what,
        SourceLocation at, Action<SourceLocation, string> error)
    {
        if (states.TryGetValue(from, out var s) && s.IsFinal)
            error(at, $"{what} leaves final state '{from}'; a final state allows no way out.");
    }

    /// <summary>States reachable from the initial state through any transition, manual or automatic.</summary>
    private static HashSet<string> Reachable(ProcessDefinition p)
    {
        var edges = p.Transitions.SelectMany(t => t.From.Select(f => (From: f, t.To)))
            .Concat(p.AutomaticTransitions.Select(a => (a.From, a.To)))
            .ToLookup(e => e.From, e => e.To, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { p.InitialState };
        var queue = new Queue<string>([p.InitialState]);
        while (queue.TryDequeue(out var state))
            foreach (var next in edges[state])
                if (seen.Add(next))
                    queue.Enqueue(next);
        return seen;
    }
}
