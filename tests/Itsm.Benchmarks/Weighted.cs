namespace Itsm.Benchmarks;

/// <summary>Draws items with given weights (cumulative table and binary search: O(log n) per draw).</summary>
public sealed class Weighted<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    public Weighted(IEnumerable<(T Item, double Weight)> entries)
    {
        var list = entries.Where(e => e.Weight > 0).ToList();
        if (list.Count == 0) throw new ArgumentException("Nothing to draw from.", nameof(entries));
        _items = list.Select(e => e.Item).ToArray();
        _cumulative = new double[list.Count];
        var sum = 0.0;
        for (var i = 0; i < list.Count; i++) _cumulative[i] = sum += list[i].Weight;
    }

    public int Count => _items.Length;

    public T Next(Random random)
    {
        var x = random.NextDouble() * _cumulative[^1];
        var i = Array.BinarySearch(_cumulative, x);
        if (i < 0) i = ~i;
        return _items[Math.Min(i, _items.Length - 1)];
    }

    /// <summary>Heavy-tailed ("a few people raise most tickets"): weight 1 / (rank + offset)^exponent.</summary>
    public static Weighted<T> Zipf(IReadOnlyList<T> byRank, double offset, double exponent = 1.0) =>
        new(byRank.Select((item, rank) => (item, 1.0 / Math.Pow(rank + 1 + offset, exponent))));
}

public static class RandomExtensions
{
    /// <summary>A log-normal duration: half of the draws fall below the median; sigma widens the tail.</summary>
    public static TimeSpan LogNormal(this Random random, TimeSpan median, double sigma)
    {
        // Box-Muller for a standard normal draw.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return TimeSpan.FromTicks((long)(median.Ticks * Math.Exp(sigma * z)));
    }

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
