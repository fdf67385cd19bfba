namespace Vigil.Streams.Metrics;

/// <summary>
/// A fixed log-scale histogram of durations (4 buckets per doubling, 1 ns to ~18 min) with one
/// writer and racy readers: recording is an array increment, so a stage can afford it on
/// sampled elements, and percentiles are read without stopping the stage.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int BucketsPerDoubling = 4;
    private const int BucketCount = 40 * BucketsPerDoubling;
    private readonly long[] _buckets = new long[BucketCount];
    private long _count;

    public long Count => Volatile.Read(ref _count);

    public void Record(long nanoseconds)
    {
        var index = nanoseconds <= 1 ? 0 : (int)(Math.Log2(nanoseconds) * BucketsPerDoubling);
        _buckets[Math.Min(index, BucketCount - 1)]++;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>The duration at quantile <paramref name="q"/> (0..1), or zero when nothing was recorded.</summary>
    public TimeSpan Percentile(double q)
    {
        var total = Count;
        if (total == 0) return TimeSpan.Zero;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += Volatile.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                // Geometric middle of the bucket.
                var ns = Math.Pow(2, (i + 0.5) / BucketsPerDoubling);
                return TimeSpan.FromTicks((long)(ns / 100));
            }
        }
        return TimeSpan.FromTicks((long)(Math.Pow(2, (double)BucketCount / BucketsPerDoubling) / 100));
    }
}
