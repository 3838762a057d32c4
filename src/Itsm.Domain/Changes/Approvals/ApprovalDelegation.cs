using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Approvals;

/// <summary>
/// For a period, <see cref="ToUserName"/> may decide the approvals asked of <see cref="FromUserName"/> (their own,
/// and those of the groups they belong to); each such decision records that it was made on their behalf.
/// </summary>
public class ApprovalDelegation
{
    public const int MaxDays = 90;

    private ApprovalDelegation() { }

    public Guid Id { get; private set; }
    public string FromUserId { get; private set; } = "";
    public string FromUserName { get; private set; } = "";
    public string ToUserId { get; private set; } = "";
    public string ToUserName { get; private set; } = "";
    public DateTimeOffset Starts { get; private set; }
    public DateTimeOffset Ends { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Whether the delegate may decide at <paramref name="now"/>: from the start, up to (not including) the end.</summary>
    public bool IsActive(DateTimeOffset now) => Starts <= now && now < Ends;

    /// <summary>Records a delegation; it must end after it starts, not in the past, at most <see cref="MaxDays"/> days later, and not to oneself.</summary>
    public static ApprovalDelegation Create(string fromUserId, string fromUserName, string toUserId, string toUserName,
        DateTimeOffset starts, DateTimeOffset ends, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(toUserId))
            errors["toUserId"] = ["Say whom you delegate to."];
        else if (toUserId == fromUserId)
            errors["toUserId"] = ["You cannot delegate your approvals to yourself."];
        if (ends <= starts)
            errors["ends"] = ["The delegation must end after it starts."];
        else if (ends <= now)
            errors["ends"] = ["The delegation would already be over."];
        else if (ends - starts > TimeSpan.FromDays(MaxDays))
            errors["ends"] = [$"A delegation may last at most {MaxDays} days."];
        if (errors.Count > 0) throw new FieldValidationException(errors);
        return new ApprovalDelegation
        {
            Id = Guid.CreateVersion7(now),
            FromUserId = fromUserId,
            FromUserName = fromUserName,
            ToUserId = toUserId,
            ToUserName = toUserName,
            Starts = starts,
            Ends = ends,
            CreatedAt = now,
        };
    }

    /// <summary>Ends the delegation now (when it has not ended yet).</summary>
    public void Revoke(DateTimeOffset now)
    {
        if (now >= Ends) return;
        Ends = now < Starts ? Starts : now;
    }
}
