namespace Vigil.Models.Batching;

/// <summary>A request was refused because the model's queue was full (load shedding; it was never accepted).</summary>
public sealed class BatcherQueueFullException(string modelId, string requestId, int queueLength)
    : InvalidOperationException($"Request '{requestId}' for model '{modelId}' was refused: {queueLength} requests are already queued (MaxQueueLength).")
{
    /// <summary>The model the request was for.</summary>
    public string ModelId { get; } = modelId;
    /// <summary>The refused request's id.</summary>
    public string RequestId { get; } = requestId;
}
