namespace Itsm.Domain.Processes;

/// <summary>
/// A state the definition no longer has and the state its tickets move to at start-up (<c>state-renames</c>):
/// a rename, not a transition, so no roles, guards or fields apply.
/// </summary>
public sealed record StateRename(string From, string To, SourceLocation Location);
