using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

/// <summary>What a guard may look at: the ticket as it is now, who acts, and when.</summary>
public interface IGuardedTicket
{
    string State { get; }
    string RequesterId { get; }
    Guid? AssignmentGroupId { get; }
    string? AssigneeId { get; }
    string? ResolutionCode { get; }
    string? ResolutionNotes { get; }
    DateTimeOffset? ResolvedAt { get; }
}

public sealed record GuardContext(IGuardedTicket Ticket, Actor Actor, DateTimeOffset Now, ProcessDefinition Process);

/// <summary>A named condition on a transition; the YAML names it, C# implements it.</summary>
public sealed record Guard(string Name, string Description, Func<GuardContext, bool> Allows);

/// <summary>The registry of guards a definition may name: every module's (see <see cref="IProcessVocabulary"/>).</summary>
public static class Guards
{
    public static IReadOnlyDictionary<string, Guard> All => ProcessVocabulary.Guards;
}
