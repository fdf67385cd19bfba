using System.Diagnostics.Metrics;

namespace Vigil.Models.Batching;

/// <summary>
/// The batchers' metrics (System.Diagnostics.Metrics, meter <c>Vigil.Models.Batching</c>), each
/// measurement tagged with <c>model</c>: batch-size histogram, queue wait, compute time, and
/// counts of expired and refused requests.
/// </summary>
public static class BatcherInstruments
{
    /// <summary>Meter name to listen to.</summary>
    public const string MeterName = "Vigil.Models.Batching";

    internal static readonly Meter Meter = new(MeterName);

    /// <summary>Requests per batch run.</summary>
    internal static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("vigil.batcher.batch_size", "{request}", "Requests per batch run");

    /// <summary>Time from a request's arrival to its batch starting.</summary>
    internal static readonly Histogram<double> QueueWait =
        Meter.CreateHistogram<double>("vigil.batcher.queue_wait", "ms", "Time from arrival to the batch starting");

    /// <summary>Time the handler took for one batch.</summary>
    internal static readonly Histogram<double> ComputeTime =
        Meter.CreateHistogram<double>("vigil.batcher.compute_time", "ms", "Handler time per batch");

    /// <summary>Requests failed because their deadline passed while queued.</summary>
    internal static readonly Counter<long> DeadlineExceeded =
        Meter.CreateCounter<long>("vigil.batcher.deadline_exceeded", "{request}", "Requests expired in the queue");

    /// <summary>Requests refused because the queue was full.</summary>
    internal static readonly Counter<long> Refused =
        Meter.CreateCounter<long>("vigil.batcher.refused", "{request}", "Requests refused on a full queue");
}
