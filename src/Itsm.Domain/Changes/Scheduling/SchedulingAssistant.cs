using Itsm.Domain.Common;

namespace Itsm.Domain.Changes.Scheduling;

/// <summary>
/// Proposes when a change could take place instead: the next slots of the same length, within a horizon (90 days by
/// default), that have no conflict of any kind. When one of the plan's CIs has a maintenance window, slots lie inside
/// an occurrence of every such window and start at an occurrence's start or on the step grid; otherwise they start on
/// the step grid (every 30 minutes, UTC). Proposed slots do not overlap one another.
/// </summary>
public static class SchedulingAssistant
{
    public static readonly TimeSpan DefaultHorizon = TimeSpan.FromDays(90);
    /// <summary>Candidate starts are multiples of this (in UTC), besides the maintenance windows' own starts.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMinutes(30);

    /// <param name="plan">The change to find a time for; its CIs, services and implementer count, its dates do not.</param>
    /// <param name="duration">The length of each slot, usually the plan's own.</param>
    /// <param name="from">No slot starts before this.</param>
    /// <param name="others">The other scheduled changes; each is looked at once, to keep only those that can conflict.</param>
    /// <param name="neighbours">As for <see cref="ConflictDetector.Detect"/>.</param>
    /// <param name="hops">As for <see cref="ConflictDetector.Detect"/>.</param>
    /// <param name="windows">The maintenance and blackout windows, resolved.</param>
    /// <param name="count">How many slots to propose at most.</param>
    /// <param name="horizon">How far ahead of <paramref name="from"/> slots may end; 90 days when not given.</param>
    /// <returns>Up to <paramref name="count"/> slots in time order; fewer when the horizon has no more room.</returns>
    public static IReadOnlyList<FreeSlot> NextFreeSlots(PlannedChange plan, TimeSpan duration, DateTimeOffset from,
        IReadOnlyList<ScheduledChange> others, Func<long, IEnumerable<long>> neighbours, int hops, ChangeWindows windows,
        int count = 5, TimeSpan? horizon = null)
    {
        if (duration <= TimeSpan.Zero) throw new FieldValidationException("duration", "The duration must be positive.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var until = from + (horizon ?? DefaultHorizon);
        if (until <= from) throw new FieldValidationException("horizon", "The horizon must be positive.");

        var scope = ConflictScope.Build(plan, neighbours, hops, windows, ciName: null);
        // The one pass over all changes: what is left is on the plan's CIs, related CIs or implementer, within the horizon.
        var relevant = new List<ScheduledChange>();
        foreach (var other in others)
            if (other.Overlaps(from, until) && scope.IsRelevant(other)) relevant.Add(other);

        var busy = Merge(relevant.Select(o => (o.Start, o.End))
            .Concat(scope.Blackouts.Select(b => (b.Window.Start, b.Window.End))));
        var (pieces, naturalStarts) = Allowed(scope, from, until);

        DateTimeOffset Candidate(DateTimeOffset t) => naturalStarts.Contains(t) ? t : RoundUp(t);

        var slots = new List<FreeSlot>();
        var lastEnd = from;
        foreach (var (pieceStart, pieceEnd) in pieces)
        {
            var s = Candidate(Max(pieceStart, lastEnd));
            while (slots.Count < count && s + duration <= pieceEnd)
            {
                var i = FirstEndingAfter(busy, s);
                if (i < busy.Count && busy[i].Start < s + duration)
                {
                    s = Candidate(busy[i].End);
                    continue;
                }
                // The busy intervals and windows should already rule out every conflict; the detector has the last
                // word so the two can never drift apart.
                if (scope.Detect(s, s + duration, relevant).Count > 0)
                {
                    s = RoundUp(s + Step);
                    continue;
                }
                slots.Add(new FreeSlot(s, s + duration));
                lastEnd = s + duration;
                s = Candidate(lastEnd);
            }
            if (slots.Count == count) break;
        }
        return slots;
    }

    /// <summary>
    /// The stretches of [from, until) in which every CI's maintenance window is open, each inside one occurrence of
    /// each window, in order of start; and the instants at which such a stretch naturally opens (not clipped by 'from').
    /// </summary>
    private static (List<(DateTimeOffset Start, DateTimeOffset End)>, HashSet<DateTimeOffset>) Allowed(
        ConflictScope scope, DateTimeOffset from, DateTimeOffset until)
    {
        var windows = scope.Windowed.Select(w => w.Window).Distinct().ToList();
        if (windows.Count == 0) return ([(from, until)], []);

        List<(DateTimeOffset Start, DateTimeOffset End)>? pieces = null;
        foreach (var window in windows)
        {
            var occurrences = window.Occurrences(from, until).ToList();
            pieces = pieces is null ? occurrences : Intersect(pieces, occurrences);
        }
        var natural = pieces!.Where(p => p.Start >= from).Select(p => p.Start).ToHashSet();
        var clipped = pieces!.Select(p => (Start: Max(p.Start, from), End: Min(p.End, until)))
            .Where(p => p.End > p.Start)
            .OrderBy(p => p.Start)
            .ToList();
        return (clipped, natural);
    }

    // Both lists in order of start; occurrences of one window may overlap each other, so every pair is considered.
    private static List<(DateTimeOffset Start, DateTimeOffset End)> Intersect(
        List<(DateTimeOffset Start, DateTimeOffset End)> a, List<(DateTimeOffset Start, DateTimeOffset End)> b)
    {
        var result = new List<(DateTimeOffset, DateTimeOffset)>();
        foreach (var x in a)
            foreach (var y in b)
            {
                if (y.Start >= x.End) break;
                var start = Max(x.Start, y.Start);
                var end = Min(x.End, y.End);
                if (end > start) result.Add((start, end));
            }
        return result.OrderBy(p => p.Item1).ToList();
    }

    private static List<(DateTimeOffset Start, DateTimeOffset End)> Merge(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> intervals)
    {
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var (start, end) in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Max(merged[^1].End, end));
            else
                merged.Add((start, end));
        }
        return merged;
    }

    // Merged intervals are disjoint and ordered, so their ends are ordered too.
    private static int FirstEndingAfter(List<(DateTimeOffset Start, DateTimeOffset End)> busy, DateTimeOffset t)
    {
        int lo = 0, hi = busy.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (busy[mid].End > t) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    private static DateTimeOffset RoundUp(DateTimeOffset t)
    {
        var ticks = t.UtcTicks;
        var rounded = (ticks + Step.Ticks - 1) / Step.Ticks * Step.Ticks;
        return new DateTimeOffset(rounded, TimeSpan.Zero);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;
}
