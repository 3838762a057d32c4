namespace Itsm.Domain.Processes;

/// <summary>A lifecycle state. Active states count as open work; final states allow no way out.</summary>
public sealed record StateDefinition(string Id, string Label, bool IsActive, bool IsFinal, SourceLocation Location);
