namespace Vigil.Models.Batching;

/// <summary>Settings of a <see cref="ModelBatcher"/>.</summary>
public sealed class ModelBatcherOptions
{
    /// <summary>Most requests per batch for models with a dynamic batch dimension. Default 8.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Longest the oldest request waits for a batch to fill. Default 5 ms.</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most requests waiting before new ones are refused. Default 1024.</summary>
    public int MaxQueueLength { get; init; } = 1024;

    /// <summary>Batches that may run at the same time on the session. Default 1.</summary>
    public int MaxConcurrentBatches { get; init; } = 1;

    /// <summary>Clock for delays and deadlines. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
