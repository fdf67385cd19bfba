namespace Vigil.Models.Batching;

/// <summary>A snapshot of one batcher's counters since it started.</summary>
/// <param name="Batches">Batches run (isolated reruns not counted).</param>
/// <param name="Completed">Requests that got a response.</param>
/// <param name="Failed">Requests whose batch failed.</param>
/// <param name="Expired">Requests whose deadline passed while queued.</param>
/// <param name="Refused">Requests refused on a full queue.</param>
/// <param name="Cancelled">Requests cancelled by their caller while queued.</param>
/// <param name="Queued">Requests waiting now.</param>
/// <param name="BatchSizeCounts">Index n: how many batches had n requests.</param>
/// <param name="ComputeTime">Total handler time over all batches (on the batcher's clock).</param>
public sealed record BatcherStatistics(
    long Batches, long Completed, long Failed, long Expired, long Refused, long Cancelled, int Queued,
    IReadOnlyList<long> BatchSizeCounts, TimeSpan ComputeTime)
{
    /// <summary>Mean requests per batch (0 before the first batch).</summary>
    public double MeanBatchSize
    {
        get
        {
            long batches = 0, requests = 0;
            for (var n = 0; n < BatchSizeCounts.Count; n++) { batches += BatchSizeCounts[n]; requests += n * BatchSizeCounts[n]; }
            return batches == 0 ? 0 : (double)requests / batches;
        }
    }
}
