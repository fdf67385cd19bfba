namespace Vigil.Streams;

/// <summary>A point-in-time reading of one stage's metrics.</summary>
/// <param name="Stage">The stage's name (its <c>Named</c> name, or kind#n).</param>
/// <param name="Kind">The operator kind, e.g. <c>Select</c>.</param>
/// <param name="ElementsIn">Elements the stage took from upstream.</param>
/// <param name="ElementsOut">Elements the stage emitted downstream.</param>
/// <param name="Dropped">Elements discarded by an explicit policy (overflow strategy).</param>
/// <param name="DeadLettered">Elements sent to the dead letters (supervision, lateness).</param>
/// <param name="Restarts">Times the stage was restarted by supervision or a restart wrapper.</param>
/// <param name="QueueDepth">Elements buffered inside the stage now (0 for fused stages).</param>
/// <param name="ProcessingP50">Median user-function time over sampled elements.</param>
/// <param name="ProcessingP95">95th percentile of sampled processing time.</param>
/// <param name="ProcessingP99">99th percentile of sampled processing time.</param>
public sealed record StageMetrics(
    string Stage, string Kind, long ElementsIn, long ElementsOut, long Dropped, long DeadLettered, long Restarts,
    int QueueDepth, TimeSpan ProcessingP50, TimeSpan ProcessingP95, TimeSpan ProcessingP99);
