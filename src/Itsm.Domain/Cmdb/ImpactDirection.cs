namespace Itsm.Domain.Cmdb;

/// <summary>The way a failure travels along a relationship "source → target".</summary>
public enum ImpactDirection
{
    /// <summary>The target fails, so the source (which depends on, runs on or connects to it) is impacted.</summary>
    TargetToSource,
    /// <summary>The source fails, so the target (which it is a member of, or which contains it) is impacted.</summary>
    SourceToTarget,
    Both,
    None,
}
