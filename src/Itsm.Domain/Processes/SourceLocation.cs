namespace Itsm.Domain.Processes;

/// <summary>Where in a definition file something was written, so errors can point at it.</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
