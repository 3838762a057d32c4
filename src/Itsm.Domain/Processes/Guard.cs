namespace Itsm.Domain.Processes;

/// <summary>A named condition on a transition; the YAML names it, C# implements it.</summary>
public sealed record Guard(string Name, string Description, Func<GuardContext, bool> Allows);
