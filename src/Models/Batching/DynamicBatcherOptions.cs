namespace Vigil.Models.Batching;

/// <summary>Settings of a <see cref="DynamicBatcher{TRequest, TResponse}"/>; <see cref="Validate"/> runs at construction.</summary>
public sealed class DynamicBatcherOptions
{
    /// <summary>Model id, used in error messages and as the <c>model</c> tag on metrics. Default "model".</summary>
    public string ModelId { get; init; } = "model";

    /// <summary>Most requests per batch. Default 8; 1 for models with a fixed batch dimension.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// Longest the oldest queued request waits for a batch to fill before a partial batch runs.
    /// Default 5 ms. Zero runs whatever is queued as soon as the model is free.
    /// </summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Most requests waiting; beyond it new requests are refused at once. Default 1024.</summary>
    public int MaxQueueLength { get; init; } = 1024;

    /// <summary>Batches that may run at the same time. Default 1 (one session, its own intra-op threads).</summary>
    public int MaxConcurrentBatches { get; init; } = 1;

    /// <summary>
    /// When a batch of several requests fails, rerun each request alone so that one bad input
    /// fails only its own request. Default true.
    /// </summary>
    public bool IsolateFailures { get; init; } = true;

    /// <summary>Clock for queue delays, deadlines and timings. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelId)) throw new ArgumentException("ModelId must be set.", nameof(ModelId));
        if (MaxBatchSize < 1) throw new ArgumentException($"MaxBatchSize must be at least 1, got {MaxBatchSize}.", nameof(MaxBatchSize));
        if (MaxQueueDelay < TimeSpan.Zero) throw new ArgumentException($"MaxQueueDelay cannot be negative, got {MaxQueueDelay}.", nameof(MaxQueueDelay));
        if (MaxQueueLength < 1) throw new ArgumentException($"MaxQueueLength must be at least 1, got {MaxQueueLength}.", nameof(MaxQueueLength));
        if (MaxConcurrentBatches < 1) throw new ArgumentException($"MaxConcurrentBatches must be at least 1, got {MaxConcurrentBatches}.", nameof(MaxConcurrentBatches));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
