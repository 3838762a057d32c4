namespace Itsm.Domain.Processes;

/// <summary>A value in a closed list of a process (hold reasons, resolution codes).</summary>
public sealed record Choice(string Id, string Label);
