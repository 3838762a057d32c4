namespace Itsm.Domain.Changes.Scheduling;

/// <summary>Another change already planned, as conflict detection sees it: when, on which CIs, by whom.</summary>
public sealed record ScheduledChange(
    Guid Id,
    string Number,
    string ShortDescription,
    DateTimeOffset Start,
    DateTimeOffset End,
    IReadOnlyList<long> CiIds,
    string? ImplementerId,
    string? ImplementerName)
{
    /// <summary>Half-open: a change ending at 23:00 does not overlap one starting at 23:00.</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => start < End && Start < end;

    internal string Title => $"{Number} '{ShortDescription}'";
}
