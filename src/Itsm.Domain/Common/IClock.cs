namespace Itsm.Domain.Common;

/// <summary>The one source of "now" everywhere time matters, so tests can use a fake clock.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}
