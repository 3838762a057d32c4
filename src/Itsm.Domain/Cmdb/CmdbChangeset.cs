namespace Itsm.Domain.Cmdb;

/// <summary>
/// One write to the CMDB: who, when, why, and the change ticket behind it if any. Every CI and relationship row it
/// touches is stamped with it, and its entries say what it did, field by field. A write that no approved change covers
/// (its implementer, in its window) is marked unauthorised.
/// </summary>
public sealed class CmdbChangeset
{
    private CmdbChangeset() { }

    public CmdbChangeset(string actorId, string actorName, DateTimeOffset at, string? reason, string? changeNumber, string? source)
    {
        ActorId = actorId;
        ActorName = actorName;
        At = at;
        Reason = reason;
        ChangeNumber = changeNumber;
        Source = source;
    }

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public string? Reason { get; private set; }
    public string? ChangeNumber { get; private set; }
    public string? Source { get; private set; }
    /// <summary>Why no approved change covers this write (null when one does): listed for the change manager.</summary>
    public string? UnauthorisedReason { get; private set; }

    public bool IsUnauthorised => UnauthorisedReason is not null;

    public void MarkUnauthorised(string reason) => UnauthorisedReason = reason;
}
