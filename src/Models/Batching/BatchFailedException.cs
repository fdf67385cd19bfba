namespace Vigil.Models.Batching;

/// <summary>The handler failed for the batch holding this request (the inner exception says why).</summary>
public sealed class BatchFailedException(string modelId, string requestId, int batchSize, Exception inner)
    : Exception($"Inference for request '{requestId}' on model '{modelId}' failed (batch of {batchSize}): {inner.Message}", inner)
{
    /// <summary>The model that failed.</summary>
    public string ModelId { get; } = modelId;
    /// <summary>The request's id.</summary>
    public string RequestId { get; } = requestId;
    /// <summary>Size of the batch that failed (1 when the request was rerun alone).</summary>
    public int BatchSize { get; } = batchSize;
}
